package io.livestore.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livestore.cdi.LiveStore;
import io.livestore.cdi.LiveStoreExtension;
import io.livestore.cdi.StoreDef;
import io.livestore.cdi.internal.StoreAdmission;
import io.livestore.testing.ManualScheduler;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.registry.StoreSnapshot;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live queries (C8) without HTTP: their one retention, their definitions, their JSON. */
@EnableWeld
class LiveQueriesTest {

    static final ManualScheduler CLOCK = new ManualScheduler();

    @ApplicationScoped
    public static class Definitions {
        @Produces
        @StoreDef("issue")
        static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();

        /** A new instance on every injection: @Dependent producer method. */
        @Produces
        @StoreDef("board")
        StoreDefinition<IssueSchema> board() {
            return StoreDefinition.builder("board", IssueSchema.class).build();
        }

        @Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.inMemory()).scheduler(CLOCK).executor(Runnable::run).build();
        }
    }

    /** A request's bean that injects the store its live query streams, as a JAX-RS resource would. */
    @RequestScoped
    public static class LiveIssue {
        @Inject
        @LiveStore(def = "issue", id = "{issueId}")
        Store<IssueSchema> issue;

        Store<IssueSchema> issue() {
            return issue;
        }
    }

    public record Stamped(String id, String title, Instant at, LocalDate day, String note) { }

    static final Query<List<IssueSchema.IssueRow>> ALL = Query.of(IssueSchema.IssueRow.class, "SELECT * FROM issue ORDER BY id");

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtension(new LiveStoreExtension())
                    .addBeanClasses(Definitions.class, LiveIssue.class, LiveQueries.class))
            .build();

    @Inject
    RequestContextController requests;
    @Inject
    StoreAdmission admission;
    @Inject
    LiveQueries live;
    @Inject
    StoreRegistry registry;
    @Inject
    Instance<LiveIssue> liveIssue;
    @Inject
    @StoreDef("board")
    Instance<StoreDefinition<IssueSchema>> board;

    @BeforeAll
    static void fastHeartbeat() {
        System.setProperty(LiveQueries.HEARTBEAT, "20ms");
    }

    @AfterAll
    static void defaultHeartbeat() {
        System.clearProperty(LiveQueries.HEARTBEAT);
    }

    private int retentions(String storeId) {
        return registry.snapshot().store(storeId).map(StoreSnapshot::retentions).orElse(0);
    }

    /** Waits (bounded) until the store has no retention; heartbeats reveal a gone client. */
    private void awaitNoRetention(String storeId, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (retentions(storeId) > 0) {
            assertTrue(System.nanoTime() < deadline, message + " (retentions: " + retentions(storeId) + ")");
            CLOCK.advance(Duration.ofSeconds(20)); // in case heartbeats run on the registry's clock
            Thread.sleep(5);
        }
    }

    private static String data(OutboundSseEvent event) {
        return String.valueOf(event.getData());
    }

    /**
     * Defect 7: the request scope of an SSE request may never end (Payara). The stream takes over the
     * request's retention on its store — one retention while it is open — and releases it, with what
     * the request still holds, when the client goes, although the request scope is still active.
     */
    @Test
    void aLiveQueryHoldsExactlyItsOwnRetentionAndReleasesItWhenTheClientGoesEvenIfTheRequestNeverEnds()
            throws Exception {
        RecordingSink sink = new RecordingSink();
        requests.activate();
        try {
            // What the preload filter does for GET /issues/live-7/live, then the resource's injection.
            admission.admitRequest(Map.of("issueId", "live-7"), admission.plansFor(LiveIssue.class),
                    StoreAdmission.Failures.RETHROW);
            Store<IssueSchema> injected = liveIssue.get().issue();
            injected.commit(new IssueCreated("a", "Before"));
            assertEquals(1, retentions("live-7"), "the request retains its store once");

            live.stream(Definitions.ISSUE, "live-7", ALL, sink, RecordingSink.SSE);

            OutboundSseEvent first = sink.next();
            assertEquals("result", first.getName(), data(first));
            assertTrue(data(first).contains("\"title\":\"Before\""), data(first));
            assertEquals(1, retentions("live-7"), "request and stream hold one retention together: the stream's");
            assertEquals(1, live.openStreams());

            sink.disconnect();
            awaitNoRetention("live-7", "the stream kept its store after the client went");
            assertEquals(0, live.openStreams());
        } finally {
            requests.deactivate(); // harmless now: the stream released what the request held
        }
        assertEquals(0, retentions("live-7"));
    }

    @Test
    void aLiveQueryOutsideARequestTakesItsOwnRetention() throws Exception {
        RecordingSink sink = new RecordingSink();
        live.stream(Definitions.ISSUE, "live-8", ALL, sink, RecordingSink.SSE);
        assertEquals("result", sink.next().getName());
        assertEquals(1, retentions("live-8"));
        sink.disconnect();
        awaitNoRetention("live-8", "released when the client went");
    }

    /**
     * A store instance that closes under a live query (dropped here; in cluster mode also a copy that
     * closes itself to reload) sends no result any more: the stream ends instead of sending heartbeats
     * for ever, so the client's EventSource reconnects to the next instance.
     */
    @Test
    void aLiveQueryWhoseStoreClosesEndsSoTheClientReconnects() throws Exception {
        RecordingSink sink = new RecordingSink();
        live.stream(Definitions.ISSUE, "live-9", ALL, sink, RecordingSink.SSE);
        assertEquals("result", sink.next().getName());
        registry.drop(Definitions.ISSUE, "live-9");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sink.isClosed()) {
            assertTrue(System.nanoTime() < deadline, "the stream of a closed store instance was not ended");
            Thread.sleep(5);
        }
        assertEquals(0, live.openStreams());
    }

    /** Defect 8: a definition from a @Dependent producer method is canonicalised like everywhere else. */
    @Test
    void aDefinitionFromADependentProducerMethodStreams() throws Exception {
        StoreDefinition<IssueSchema> first = board.get();
        requests.activate();
        try {
            live.stream(first, "board-1", ALL, new RecordingSink(), RecordingSink.SSE); // registers the definition
        } finally {
            requests.deactivate();
        }
        StoreDefinition<IssueSchema> second = board.get();
        assertTrue(first != second, "a new instance per injection");
        RecordingSink sink = new RecordingSink();
        live.stream(second, "board-1", ALL, sink, RecordingSink.SSE);
        OutboundSseEvent event = sink.next();
        assertEquals("result", event.getName(), "not an error event: " + data(event));
        assertEquals("[]", data(event));
        sink.disconnect();
    }

    /** Item 4: results go out through JSON-B, in the shape they had: records as objects, java.time as ISO text. */
    @Test
    void resultsAreJsonObjectsWithIsoTimes() throws Exception {
        requests.activate();
        try {
            admission.admit(Definitions.ISSUE, "json-1").store().commit(new IssueCreated("i1", "Json"));
        } finally {
            requests.deactivate();
        }
        Instant at = Instant.parse("2026-12-01T10:15:30Z");
        Query<List<Stamped>> stamped = Query.of(Stamped.class, "SELECT id, title, " + at.toEpochMilli()
                + " AS at, '2026-12-01' AS day, NULL AS note FROM issue");
        RecordingSink sink = new RecordingSink();
        live.stream(Definitions.ISSUE, "json-1", stamped, sink, RecordingSink.SSE);
        OutboundSseEvent event = sink.next();
        assertEquals("result", event.getName(), data(event));
        assertEquals("application/json", event.getMediaType().toString());
        JsonNode row = new ObjectMapper().readTree(data(event)).get(0);
        assertEquals("i1", row.get("id").asText());
        assertEquals("Json", row.get("title").asText());
        assertEquals("2026-12-01T10:15:30Z", row.get("at").asText());
        assertEquals("2026-12-01", row.get("day").asText());
        assertTrue(row.has("note") && row.get("note").isNull(), "a null component is written out: " + row);
        sink.disconnect();
    }
}
