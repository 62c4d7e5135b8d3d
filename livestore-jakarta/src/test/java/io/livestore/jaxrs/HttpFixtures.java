package io.livestore.jaxrs;

import io.livestore.cdi.LiveStore;
import io.livestore.cdi.StoreAccessPolicy;
import io.livestore.cdi.StoreDef;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.spi.StoreLoader;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRow;
import io.livestore.store.IssueSchema;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The small application the HTTP tests run on Jersey + Weld SE. */
final class HttpFixtures {

    private HttpFixtures() {
    }

    /** Both loads of a pair must be in flight together to pass: proves the filter loads in parallel. */
    static volatile CyclicBarrier pairBarrier = new CyclicBarrier(2);
    /** Loads of the "stuck" definition wait here: exceeds the preload deadline. */
    static final CountDownLatch STUCK = new CountDownLatch(1);
    static final AtomicInteger LOADS = new AtomicInteger();

    static final StoreLoader LOADER = (definition, opener, storeId, cancel) -> {
        LOADS.incrementAndGet();
        switch (definition.name()) {
            case "pair" -> pairBarrier.await(5, TimeUnit.SECONDS);
            case "broken" -> throw new IllegalStateException("disk unavailable");
            case "stuck" -> STUCK.await(30, TimeUnit.SECONDS);
            default -> { }
        }
        return opener.open(storeId, cancel);
    };

    @ApplicationScoped
    public static class Definitions {
        @jakarta.enterprise.inject.Produces
        @StoreDef("issue")
        static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();

        @jakarta.enterprise.inject.Produces
        @StoreDef("pair")
        static final StoreDefinition<IssueSchema> PAIR = StoreDefinition.builder("pair", IssueSchema.class).build();

        @jakarta.enterprise.inject.Produces
        @StoreDef("broken")
        static final StoreDefinition<IssueSchema> BROKEN = StoreDefinition.builder("broken", IssueSchema.class).build();

        @jakarta.enterprise.inject.Produces
        @StoreDef("stuck")
        static final StoreDefinition<IssueSchema> STUCK_DEFINITION = StoreDefinition.builder("stuck", IssueSchema.class).build();

        @jakarta.enterprise.inject.Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.inMemory()).loader(LOADER).build();
        }
    }

    @ApplicationScoped
    public static class RefuseSecret implements StoreAccessPolicy {
        @Override
        public boolean allows(String definition, String storeId) {
            return !storeId.startsWith("secret");
        }
    }

    @Path("/issues/{issueId}")
    @RequestScoped
    public static class IssueResource {
        @Inject
        @LiveStore(def = "issue")
        Store<IssueSchema> issue;
        @Inject
        LiveQueries live;

        @Inject
        io.livestore.registry.StoreRegistry registry;

        static final Query<List<IssueRow>> ALL = Query.of(IssueRow.class, "SELECT * FROM issue ORDER BY id");

        /** How many retentions the store has while this request uses it. */
        @GET
        @Path("/retentions")
        @Produces(MediaType.TEXT_PLAIN)
        public String retentions() {
            return Integer.toString(registry.snapshot().store(issue.storeId()).orElseThrow().retentions());
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String titles() {
            return issue.storeId() + ":" + issue.query(ALL).stream().map(IssueRow::title).toList();
        }

        @POST
        @Produces(MediaType.TEXT_PLAIN)
        public String create(@QueryParam("title") String title) {
            return Long.toString(issue.commit(new IssueCreated("i" + issue.head(), title)));
        }

        @GET
        @Path("/live")
        @Produces(MediaType.SERVER_SENT_EVENTS)
        public void live(@PathParam("issueId") String issueId, @Context SseEventSink sink, @Context Sse sse) {
            live.stream(Definitions.ISSUE, issueId, ALL, sink, sse);
        }
    }

    /** Stores known only at run time, through the request-scoped facade. */
    @Path("/facade/{definition}/{storeId}")
    @RequestScoped
    public static class FacadeResource {
        @Inject
        io.livestore.cdi.Stores stores;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String get(@PathParam("definition") String definition, @PathParam("storeId") String storeId) {
            return Long.toString(stores.get(definition, storeId).head());
        }
    }

    /** Several stores known only at run time, loaded together. */
    @Path("/facade-all/{definition}")
    @RequestScoped
    public static class FacadeAllResource {
        @Inject
        io.livestore.cdi.Stores stores;
        @Inject
        Definitions definitions;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String get(@PathParam("definition") String definition, @QueryParam("ids") String ids) {
            StoreDefinition<IssueSchema> def = definition.equals("pair") ? Definitions.PAIR : Definitions.ISSUE;
            return String.join(",", stores.getAll(def, List.of(ids.split(","))).stream().map(Store::storeId).toList());
        }
    }

    @Path("/pair/{a}/{b}")
    @RequestScoped
    public static class PairResource {
        @Inject
        @LiveStore(def = "pair", id = "{a}")
        Store<IssueSchema> a;
        @Inject
        @LiveStore(def = "pair", id = "{b}")
        Store<IssueSchema> b;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String get() {
            return a.storeId() + "+" + b.storeId();
        }
    }

    @Path("/broken/{brokenId}")
    @RequestScoped
    public static class BrokenResource {
        @Inject
        @LiveStore(def = "broken")
        Store<IssueSchema> store;

        @GET
        public String get() {
            return store.storeId();
        }
    }

    @Path("/stuck/{stuckId}")
    @RequestScoped
    public static class StuckResource {
        @Inject
        @LiveStore(def = "stuck")
        Store<IssueSchema> store;

        @GET
        public String get() {
            return store.storeId();
        }
    }

    public static class App extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            Set<Class<?>> classes = new HashSet<>(LiveStoreJaxrsExtension.PROVIDERS);
            classes.addAll(List.of(IssueResource.class, FacadeResource.class, FacadeAllResource.class, PairResource.class, BrokenResource.class, StuckResource.class));
            return classes;
        }
    }
}
