package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.StoreResolutionException;
import io.livestore.cdi.internal.ConfigValues;
import io.livestore.cdi.internal.StoreAdmission;
import io.livestore.jaxrs.LiveStoreProblemMapper;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.store.LiveStoreException;
import io.livestore.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The way in for LiveStore clients (L1, L6, L7): checks a connection's handshake — the definition is open
 * to clients ({@value LiveStoreConfig#SYNC_DEFINITIONS}), the storeId is valid, the {@code payload} decodes
 * to JSON — then admits the store through {@link StoreAdmission#admitClient} (the application's
 * {@code StoreAccessPolicy}s see the payload), waits for it to load, and opens the session. A refusal
 * reads and writes nothing. The session holds its store's lease until the connection ends, so a store
 * with connected clients stays loaded.
 */
@ApplicationScoped
public class SyncService implements SyncSessions {

    private static final System.Logger LOG = System.getLogger(SyncService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long opening a connection waits for its store to load. */
    private static final Duration LOAD_WAIT = Duration.ofSeconds(30);

    @Inject
    StoreAdmission admission;

    private volatile Set<String> open;
    private final Clock clock = Clock.systemUTC();
    private final SyncCounters counters = new SyncCounters();

    /** What the endpoint did since it started. */
    public SyncCounters counters() {
        return counters;
    }

    /** The definitions open to clients, read once from the configuration. */
    Set<String> openDefinitions() {
        Set<String> names = open;
        if (names == null) {
            names = ConfigValues.get(LiveStoreConfig.SYNC_DEFINITIONS).map(v -> Arrays.stream(v.split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
            open = names;
        }
        return names;
    }

    @Override
    public boolean serves(String definition) {
        return openDefinitions().contains(definition);
    }

    @Override
    public SyncSession open(SyncHandshake handshake, SyncTransport transport) {
        String name = handshake.definition();
        if (name == null || !openDefinitions().contains(name)) {
            throw new SyncRefusedException(404, "definition '" + name + "' is not open to LiveStore clients (the "
                    + "configuration key " + LiveStoreConfig.SYNC_DEFINITIONS + " lists those that are)");
        }
        StoreDefinition<?> definition;
        try {
            definition = admission.definition(name);
        } catch (StoreResolutionException e) {
            throw new SyncRefusedException(404, "definition '" + name + "' is listed in "
                    + LiveStoreConfig.SYNC_DEFINITIONS + " but the application declares no such definition");
        }
        if (handshake.storeId() == null || handshake.storeId().isEmpty()) {
            throw new SyncRefusedException(400, "definition '" + name + "': the query string has no storeId "
                    + "(a LiveStore client sends ?storeId=…&payload=…&transport=ws)");
        }
        String transportName = handshake.transport();
        if (transportName != null && !transportName.equals("ws") && !transportName.equals("http")) {
            throw new SyncRefusedException(400, "definition '" + name + "', store '" + handshake.storeId()
                    + "': transport must be 'ws' or 'http', was '" + transportName + "'");
        }
        String payload = syncPayload(name, handshake.storeId(), handshake.payload());
        StoreLease<?> lease;
        Store<?> store;
        try {
            lease = admission.admitClient(definition, handshake.storeId(), payload);
        } catch (LiveStoreException e) {
            throw refusal(e, name, handshake.storeId());
        } catch (RuntimeException e) {
            // An access policy of the application threw (admission rethrows it as it is): a server fault, as
            // over HTTP (500), and not the policy's text, which is no business of the client's.
            LOG.log(Level.WARNING, "the access check of a LiveStore client's connection to store '" + handshake.storeId()
                    + "' (definition '" + name + "') failed", e);
            throw new SyncRefusedException(500, "store '" + handshake.storeId() + "' of definition '" + name + "': the "
                    + "server could not check this connection's access; the server log has the cause");
        }
        try {
            store = lease.store(LOAD_WAIT);
            return new ClientConnection(lease, store, transport, !"http".equals(transportName), clock, counters);
        } catch (LiveStoreException e) {
            lease.close();
            throw refusal(e, name, handshake.storeId());
        } catch (UnsupportedOperationException e) {
            // cluster mode on an upstream of the application's own that cannot create an empty log (Upstream.createLog)
            lease.close();
            LOG.log(Level.ERROR, "definition '" + name + "': LiveStore clients cannot sync in cluster mode on this "
                    + "upstream, which cannot fix an empty log's identity (Upstream.createLog)", e);
            throw new SyncRefusedException(503, "store '" + handshake.storeId() + "' of definition '" + name
                    + "' cannot be synced by LiveStore clients on this server; the server log says why");
        } catch (RuntimeException | Error e) {
            lease.close();
            throw e;
        }
    }

    /**
     * The client's {@code syncPayload} as JSON text: the query parameter, once decoded by the container, is
     * still percent-encoded once more ({@code encodeURIComponent}, where {@code +} is a plus sign).
     */
    static String syncPayload(String definition, String storeId, String parameter) {
        if (parameter == null) {
            return null;
        }
        String text;
        try {
            text = URLDecoder.decode(parameter.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SyncRefusedException(400, "definition '" + definition + "', store '" + storeId + "': the payload "
                    + "parameter is not percent-encoded JSON (as LiveStore's syncPayload is sent)");
        }
        try {
            JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SyncRefusedException(400, "definition '" + definition + "', store '" + storeId + "': the payload "
                    + "parameter is not JSON (LiveStore's syncPayload is sent as JSON)");
        }
        return text;
    }

    private static SyncRefusedException refusal(LiveStoreException e, String definition, String storeId) {
        int status = LiveStoreProblemMapper.statusOf(e);
        if (status >= 500) {
            LOG.log(Level.WARNING, "a LiveStore client's connection to store '" + storeId + "' (definition '" + definition
                    + "') could not be opened", e);
            return new SyncRefusedException(503, "store '" + storeId + "' of definition '" + definition + "' is not "
                    + "available now; the client connects again later");
        }
        return new SyncRefusedException(status == 403 ? 403 : 400, LiveStoreProblemMapper.clientText(e));
    }
}
