package io.livestore.it;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.StoreDef;
import io.livestore.jaxrs.LiveQueries;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The library's configuration and threads as the server gave them: the computed default data directory
 * (the suite sets {@code livestore.data-dir}, so the default is asked for directly), what MicroProfile
 * Config answers, and which threads run a load and a live query's sends.
 */
@Path("/server-config")
@ApplicationScoped
public class ServerConfigResource {

    /** A definition whose boot hook records the thread that loads the store. */
    @jakarta.enterprise.inject.Produces
    @StoreDef("threadprobe")
    static final StoreDefinition<NotebookSchema> THREAD_PROBE = StoreDefinition.builder("threadprobe", NotebookSchema.class)
            .onBoot((store, report) -> ServerConfigResource.LOAD_THREADS.put(store.storeId(), ThreadProbe.describeCurrentThread()))
            .build();

    static final Map<String, Map<String, Object>> LOAD_THREADS = new ConcurrentHashMap<>();
    static final Map<String, Map<String, Object>> SEND_THREADS = new ConcurrentHashMap<>();

    @Inject
    StoreRegistry registry;

    @Inject
    LiveQueries liveQueries;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String configuration() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("defaultDataDirectory", LiveStoreConfig.defaultDataDirectory().toString());
        m.put("dataDirectory", LiveStoreConfig.dataDirectory().toString());
        m.put("jbossServerDataDir", System.getProperty("jboss.server.data.dir"));
        m.put("instanceRoot", System.getProperty("com.sun.aas.instanceRoot"));
        m.put("userDir", System.getProperty("user.dir"));
        m.put("onlyInMicroProfileConfig", LiveStoreConfig.value("livestore-it.only-in-microprofile-config").orElse(null));
        m.put("probeDuration", ConfigProvider.getConfig().getValue("livestore-it.probe-duration", Duration.class).toString());
        Map<String, String> hints = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.contains("instance") || k.contains("payara") || k.contains("root") || k.contains("data"))
                .sorted().forEach(k -> hints.put(k, System.getProperty(k)));
        m.put("properties", hints);
        return Json.write(m);
    }

    /** Loads store {@code storeId} of the probe definition and tells which thread booted it. */
    @GET
    @Path("/load-thread/{storeId}")
    @Produces(MediaType.APPLICATION_JSON)
    public String loadThread(@PathParam("storeId") String storeId) {
        try (StoreLease<NotebookSchema> lease = registry.retain(THREAD_PROBE, storeId)) {
            lease.store();
        }
        return Json.write(LOAD_THREADS.get(storeId));
    }

    /** A live query whose sink records the thread of every send before passing the event on. */
    @GET
    @Path("/live/{storeId}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void live(@PathParam("storeId") String storeId, @Context SseEventSink sink, @Context Sse sse) {
        liveQueries.stream(Definitions.NOTEBOOK, storeId, NotebookSchema.NOTES, new RecordingSink(storeId, sink), sse);
    }

    /** The thread of the last send of the live query on {@code storeId}. */
    @GET
    @Path("/send-thread/{storeId}")
    @Produces(MediaType.APPLICATION_JSON)
    public String sendThread(@PathParam("storeId") String storeId) {
        return Json.write(SEND_THREADS.get(storeId));
    }

    private record RecordingSink(String storeId, SseEventSink delegate) implements SseEventSink {
        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            SEND_THREADS.put(storeId, ThreadProbe.describeCurrentThread());
            return delegate.send(event);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
