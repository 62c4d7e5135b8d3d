package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.LiveStoreExtension;
import io.livestore.cdi.StoreAccessPolicy;
import io.livestore.cdi.StoreDef;
import io.livestore.jaxrs.LiveStoreJaxrsExtension;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.store.UnrecognizedEvent;
import io.livestore.testing.ManualScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol engine (L2–L7) behind any transport: real stores, a recording transport, frames as the real client sends them. */
@EnableWeld
class SyncServiceTest {

    static final String TOKEN = "{\"authToken\":\"secret&x=1\"}";
    /** The payload query parameter as the container hands it over: encodeURIComponent once more. */
    static final String TOKEN_PARAMETER = "%7B%22authToken%22%3A%22secret%26x%3D1%22%7D";

    @ApplicationScoped
    public static class Definitions {
        @Produces
        @StoreDef("todo")
        static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class).build();

        @Produces
        @StoreDef("closed")
        static final StoreDefinition<TodoSchema> CLOSED = StoreDefinition.builder("closed", TodoSchema.class).build();

        @Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.inMemory()).scheduler(new ManualScheduler())
                    .executor(Runnable::run).build();
        }
    }

    /** Lets in clients whose syncPayload carries the token; other access as usual. */
    @ApplicationScoped
    public static class TokenPolicy implements StoreAccessPolicy {
        @Override
        public boolean allows(String definition, String storeId) {
            return true;
        }

        @Override
        public boolean allowsClient(String definition, String storeId, String syncPayload) {
            if (storeId.equals("policy-fails")) {
                throw new IllegalStateException("token service at http://127.0.0.1:9/check is down");
            }
            return TOKEN.equals(syncPayload);
        }
    }

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtensions(new LiveStoreExtension(), new LiveStoreJaxrsExtension())
                    .addBeanClasses(Definitions.class, TokenPolicy.class))
            .activate(jakarta.enterprise.context.RequestScoped.class).build();

    @Inject
    SyncSessions sessions;
    @Inject
    StoreRegistry registry;

    @BeforeAll
    static void openTodo() {
        System.setProperty(LiveStoreConfig.SYNC_DEFINITIONS, "todo, other");
    }

    @AfterAll
    static void clear() {
        System.clearProperty(LiveStoreConfig.SYNC_DEFINITIONS);
    }

    record Client(SyncSession session, RecordingTransport transport) {
        void send(String frame) {
            session.onFrame(frame);
        }
    }

    Client connect(String storeId) {
        RecordingTransport transport = new RecordingTransport();
        return new Client(sessions.open(new SyncHandshake("todo", storeId, TOKEN_PARAMETER, "ws"), transport), transport);
    }

    static String pull(String id, String storeId, String cursor, boolean live) {
        return "{\"_tag\":\"Request\",\"id\":\"" + id + "\",\"tag\":\"SyncWsRpc.Pull\",\"payload\":{\"storeId\":\"" + storeId
                + "\",\"payload\":" + TOKEN + ",\"live\":" + live + ",\"cursor\":" + cursor + "},\"headers\":[]}";
    }

    static String event(long seq, String name, String args) {
        return "{\"name\":\"" + name + "\",\"args\":" + args + ",\"seqNum\":" + seq + ",\"parentSeqNum\":" + (seq - 1)
                + ",\"clientId\":\"client-A\",\"sessionId\":\"session-1\"}";
    }

    static String push(String id, String storeId, String backendId, String... events) {
        return "{\"_tag\":\"Request\",\"id\":\"" + id + "\",\"tag\":\"SyncWsRpc.Push\",\"payload\":{\"storeId\":\"" + storeId
                + "\",\"payload\":" + TOKEN + ",\"batch\":[" + String.join(",", events) + "],\"backendId\":"
                + (backendId == null ? "{\"_tag\":\"None\"}" : "{\"_tag\":\"Some\",\"value\":\"" + backendId + "\"}")
                + "},\"headers\":[]}";
    }

    static String todoCreated(long seq, String id) {
        return event(seq, "v1.TodoCreated", "{\"id\":\"" + id + "\",\"text\":\"todo " + id + " ünï \\\"q\\\"\"}");
    }

    Store<TodoSchema> store(String storeId) {
        return registry.retain(Definitions.TODO, storeId).store();
    }

    @Test
    void aPingIsAnsweredAndAnEmptyStoreAnswersOneEmptyNoMorePageWithItsBackendId() {
        Client a = connect("s1");
        a.send("{\"_tag\":\"Ping\"}");
        assertEquals("{\"_tag\":\"Pong\"}", a.transport().frames.get(0));
        a.send(pull("0", "s1", "{\"_tag\":\"None\"}", true));
        JsonNode page = a.transport().parsed().get(1).path("values").get(0);
        assertEquals(0, page.path("batch").size());
        assertEquals("NoMore", page.path("pageInfo").path("_tag").asText());
        assertFalse(page.path("backendId").asText().isEmpty());
        assertEquals(List.of(), a.transport().exits("0"), "a live pull stays open");
    }

    @Test
    void anAcceptedPushReachesEveryLivePullThePushersFirstThenItsAnswerAndIsMaterializedByteExact() {
        Client a = connect("s2");
        Client b = connect("s2");
        a.send(pull("0", "s2", "{\"_tag\":\"None\"}", true));
        b.send(pull("0", "s2", "{\"_tag\":\"None\"}", true));
        String args = "{\"id\":\"a\",\"text\":\"todo a ünï \\\"q\\\"\"}";
        a.send(push("1", "s2", null, event(1, "v1.TodoCreated", args)));

        assertEquals(List.of(1L), a.transport().pulledSeqNums("0"));
        assertEquals(List.of(1L), b.transport().pulledSeqNums("0"));
        List<String> frames = a.transport().frames;
        assertEquals("Chunk", a.transport().parsed().get(frames.size() - 2).path("_tag").asText(), "the echo before the answer");
        assertEquals("{\"_tag\":\"Success\",\"value\":{}}", a.transport().exits("1").get(0).path("exit").toString());
        assertTrue(b.transport().frames.get(b.transport().frames.size() - 1).contains("\"args\":" + args), "args byte-exact");
        assertEquals(List.of(new TodoSchema.Todo("a", "todo a ünï \"q\"", false)),
                store("s2").query(Query.of(TodoSchema.Todo.class, "SELECT * FROM todos")));
    }

    @Test
    void aPushBehindTheHeadGetsServerAheadAndWritesNothing() {
        Client a = connect("s3");
        Client b = connect("s3");
        a.send(push("1", "s3", null, todoCreated(1, "a")));
        b.send(push("1", "s3", null, todoCreated(1, "b")));
        JsonNode error = b.transport().exits("1").get(0).path("exit").path("cause").path("error");
        assertEquals("ServerAheadError", error.path("_tag").asText());
        assertEquals(1, error.path("minimumExpectedNum").asLong());
        assertEquals(0, error.path("providedNum").asLong());
        assertEquals(1, store("s3").head());
    }

    /**
     * The frames of the race the real clients run into when both commit at once (recorded from
     * LiveStoreClientTest, simultaneous commits), as the reference server sends them: the events a push behind
     * the head lacks are on the pusher's live pull before its ServerAheadError, an accepted push is echoed to
     * every live pull before its answer, every event reaches each pull once, and a batch sent again after it was
     * accepted (a client restarting its push after a pull) is refused without anything being sent again.
     */
    @Test
    void simultaneousPushesGetTheReferenceFrameOrderAndEveryEventOncePerPull() {
        Client a = connect("race");
        Client b = connect("race");
        a.send(pull("0", "race", "{\"_tag\":\"None\"}", true));
        b.send(pull("0", "race", "{\"_tag\":\"None\"}", true));
        a.send(push("1", "race", null, created(1, "a1", "A")));
        b.send(push("1", "race", null, created(1, "b1", "B"), created(2, "b2", "B"))); // lost the race
        b.send(push("2", "race", null, created(2, "b1", "B"), created(3, "b2", "B"))); // rebased on 1
        a.send(push("2", "race", null, created(2, "a2", "A"))); // lost to B's rebased push
        a.send(push("3", "race", null, created(4, "a2", "A"))); // rebased on 3
        a.send(push("4", "race", null, created(4, "a2", "A"))); // the same again, as after a restarted push

        assertEquals(List.of("pull []", "pull [1]", "push 1 ok", "pull [2, 3]", "push 2 ServerAhead 3/1", "pull [4]",
                "push 3 ok", "push 4 ServerAhead 4/3"), trace(a), "A's frames");
        assertEquals(List.of("pull []", "pull [1]", "push 1 ServerAhead 1/0", "pull [2, 3]", "push 2 ok", "pull [4]"),
                trace(b), "B's frames");
        assertEquals(List.of(1L, 2L, 3L, 4L), a.transport().pulledSeqNums("0"), "each event once on A's pull");
        assertEquals(List.of(1L, 2L, 3L, 4L), b.transport().pulledSeqNums("0"), "each event once on B's pull");
        assertEquals(List.of("NoMore", "NoMore", "NoMore", "NoMore"), a.transport().pageInfos("0"), "live pages are NoMore");
        assertEquals(4, store("race").head());
    }

    static String created(long seq, String id, String client) {
        return "{\"name\":\"v1.TodoCreated\",\"args\":{\"id\":\"" + id + "\",\"text\":\"" + id + "\"},\"seqNum\":" + seq
                + ",\"parentSeqNum\":" + (seq - 1) + ",\"clientId\":\"client-" + client + "\",\"sessionId\":\"s-" + client + "\"}";
    }

    /** A connection's frames in the order sent: "pull [seqNums]", "push ID ok", "push ID ServerAhead min/provided". */
    static List<String> trace(Client c) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : c.transport().parsed()) {
            if (f.path("_tag").asText().equals("Chunk")) {
                List<Long> seqs = new ArrayList<>();
                f.path("values").forEach(v -> v.path("batch").forEach(e -> seqs.add(e.path("eventEncoded").path("seqNum").asLong())));
                out.add("pull " + seqs);
            } else if (f.path("_tag").asText().equals("Exit")) {
                JsonNode error = f.path("exit").path("cause").path("error");
                out.add("push " + f.path("requestId").asText() + (error.isMissingNode() ? " ok" : " " + error.path("_tag").asText()
                        .replace("Error", "") + " " + error.path("minimumExpectedNum").asLong() + "/" + error.path("providedNum").asLong()));
            }
        }
        return out;
    }

    @Test
    void aJavaCommitReachesLivePullsWithTheServersIdsAndAnUnknownEventIsKeptAndForwarded() {
        Client a = connect("s4");
        a.send(pull("0", "s4", "{\"_tag\":\"None\"}", true));
        Store<TodoSchema> store = store("s4");
        store.commit(new TodoSchema.TodoCreated("j", "from Java"));
        JsonNode last = a.transport().parsed().get(a.transport().frames.size() - 1);
        JsonNode encoded = last.path("values").get(0).path("batch").get(0).path("eventEncoded");
        assertEquals("v1.TodoCreated", encoded.path("name").asText());
        assertFalse(encoded.path("clientId").asText().equals("client-A"), "the server's clientId");

        Client b = connect("s4");
        b.send(push("1", "s4", null, event(2, "v1.NoteAdded", "{\"id\":\"n\",\"note\":\"js only\"}")));
        assertEquals("Success", b.transport().exits("1").get(0).path("exit").path("_tag").asText());
        assertEquals(List.of(1L, 2L), a.transport().pulledSeqNums("0"), "the kept event is forwarded");
        assertEquals(1, ((SyncService) sessions).counters().unknownEventsKept(), "and counted");
        assertEquals(new UnrecognizedEvent("v1.NoteAdded", "{\"id\":\"n\",\"note\":\"js only\"}"), store.eventsSince(1).get(0).event());
    }

    @Test
    void theBacklogComesInPagesWithRemainingCountsAndAWindowOfUnacknowledgedChunks() {
        Store<TodoSchema> store = store("s5");
        List<TodoSchema.TodoCreated> events = new ArrayList<>();
        for (int i = 0; i < 2050; i++) {
            events.add(new TodoSchema.TodoCreated("t" + i, "x"));
        }
        store.commit(events);
        Client a = connect("s5");
        a.send(pull("0", "s5", "{\"_tag\":\"None\"}", false));
        assertEquals(LivePull.WINDOW, a.transport().pageInfos("0").size(), "no more than the window before acks");
        for (int i = 0; i < 40; i++) {
            a.send("{\"_tag\":\"Ack\",\"requestId\":\"0\"}");
        }
        List<String> infos = a.transport().pageInfos("0");
        assertEquals(21, infos.size());
        assertEquals("MoreKnown:1950", infos.get(0));
        assertEquals("MoreKnown:50", infos.get(19));
        assertEquals("NoMore", infos.get(20));
        List<Long> seqs = a.transport().pulledSeqNums("0");
        assertEquals(2050, seqs.size());
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "in order, no gap, no duplicate");
        }
        assertEquals("{\"_tag\":\"Success\"}", a.transport().exits("0").get(0).path("exit").toString(), "a non-live pull ends");

        Client b = connect("s5");
        String backendId = a.transport().parsed().get(0).path("values").get(0).path("backendId").asText();
        b.send(pull("0", "s5", "{\"_tag\":\"Some\",\"value\":{\"backendId\":\"" + backendId + "\",\"eventSequenceNumber\":2040}}", true));
        assertEquals(List.of(2041L, 2042L, 2043L, 2044L, 2045L, 2046L, 2047L, 2048L, 2049L, 2050L), b.transport().pulledSeqNums("0"),
                "from the cursor on");
    }

    @Test
    void badInputIsAnsweredOnItsOwnConnectionAndWritesNothing() {
        Client a = connect("s6");
        Client other = connect("s6");
        other.send(pull("0", "s6", "{\"_tag\":\"None\"}", true));
        int otherFrames = other.transport().frames.size();

        a.send(push("1", "s6", null, todoCreated(1, "a"), todoCreated(3, "b")));
        a.send(push("2", "s6", null, event(1, "v1.TodoCreated", "{\"id\":1}")));
        a.send(push("3", "s6x", null, todoCreated(1, "a")));
        String[] many = new String[101];
        for (int i = 0; i < many.length; i++) {
            many[i] = todoCreated(i + 1, "m" + i);
        }
        a.send(push("4", "s6", null, many));
        a.send(push("5", "s6", "foreign-backend", todoCreated(1, "a")));
        for (String id : List.of("1", "2", "3", "4")) {
            JsonNode error = a.transport().exits(id).get(0).path("exit").path("cause").path("error");
            assertEquals("UnknownError", error.path("_tag").asText(), id);
            assertTrue(error.path("cause").asText().contains("nothing was written"), error.toString());
        }
        assertTrue(a.transport().exits("1").get(0).toString().contains("expected 2"), a.transport().exits("1").toString());
        assertEquals("BackendIdMismatchError",
                a.transport().exits("5").get(0).path("exit").path("cause").path("error").path("_tag").asText());
        assertEquals(0, store("s6").head(), "nothing written");

        a.send("{not json");
        assertEquals(1008, a.transport().closeCode);
        assertEquals(otherFrames, other.transport().frames.size(), "the other connection saw nothing");
        other.send("{\"_tag\":\"Ping\"}");
        assertEquals("{\"_tag\":\"Pong\"}", other.transport().frames.get(other.transport().frames.size() - 1));
    }

    @Test
    void aPullWithAnotherBackendsCursorGetsBackendIdMismatch() {
        Client a = connect("s7");
        a.send(pull("0", "s7", "{\"_tag\":\"Some\",\"value\":{\"backendId\":\"gone\",\"eventSequenceNumber\":3}}", true));
        JsonNode error = a.transport().exits("0").get(0).path("exit").path("cause").path("error");
        assertEquals("BackendIdMismatchError", error.path("_tag").asText());
        assertEquals("gone", error.path("received").asText());
    }

    @Test
    void refusedConnectionsLoadNothing() {
        RecordingTransport t = new RecordingTransport();
        assertEquals(404, assertThrows(SyncRefusedException.class,
                () -> sessions.open(new SyncHandshake("closed", "r1", TOKEN_PARAMETER, "ws"), t)).status());
        assertEquals(404, assertThrows(SyncRefusedException.class,
                () -> sessions.open(new SyncHandshake("other", "r1", TOKEN_PARAMETER, "ws"), t)).status(),
                "listed but not declared");
        assertEquals(400, assertThrows(SyncRefusedException.class,
                () -> sessions.open(new SyncHandshake("todo", "a b", TOKEN_PARAMETER, "ws"), t)).status());
        assertEquals(400, assertThrows(SyncRefusedException.class,
                () -> sessions.open(new SyncHandshake("todo", "r1", "%7Bnot", "ws"), t)).status());
        SyncRefusedException refused = assertThrows(SyncRefusedException.class,
                () -> sessions.open(new SyncHandshake("todo", "r1", "%7B%22authToken%22%3A%22wrong%22%7D", "ws"), t));
        assertEquals(403, refused.status());
        assertInstanceOf(String.class, refused.getMessage());
        SyncRefusedException failed = assertThrows(SyncRefusedException.class,
                () -> sessions.open(new SyncHandshake("todo", "policy-fails", TOKEN_PARAMETER, "ws"), t));
        assertEquals(500, failed.status(), "a policy that throws is the server's fault, as over HTTP");
        assertFalse(failed.getMessage().contains("127.0.0.1:9") || failed.getMessage().contains("IllegalState"),
                failed.getMessage());
        assertTrue(registry.snapshot().stores().isEmpty(), "nothing loaded for a refused client: " + registry.snapshot());
    }

    @Test
    void theConnectionHoldsItsStoreUntilItEnds() {
        Client a = connect("s8");
        assertEquals(1, registry.snapshot().stores().stream().filter(s -> s.storeId().equals("s8")).findFirst()
                .orElseThrow().retentions());
        a.session().onClosed();
        a.session().onClosed();
        assertEquals(0, registry.snapshot().stores().stream().filter(s -> s.storeId().equals("s8")).findFirst()
                .orElseThrow().retentions());
    }
}
