package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.LiveStoreExtension;
import io.livestore.cdi.StoreAccessPolicy;
import io.livestore.cdi.StoreDef;
import io.livestore.jaxrs.LiveStoreJaxrsExtension;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.CommittedEvent;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.store.UnrecognizedEvent;
import io.livestore.testing.ManualScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 11 with the real LiveStore 0.4.0 client, never an imitation: Node processes running
 * {@code @livestore/adapter-node} with {@code makeWsSync} of {@code @livestore/sync-cf} (sync-client/), synced
 * through the WebSocket endpoint on Tyrus + Grizzly on 127.0.0.1, with the same schema in JavaScript and Java.
 */
@EnableWeld
class LiveStoreClientTest {

    static final String TOKEN = "{\"authToken\":\"t0k3n\"}";
    static final Duration WAIT = Duration.ofSeconds(30);
    static Path serverFiles;

    @ApplicationScoped
    public static class Definitions {
        @Produces
        @StoreDef("todo")
        static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class).build();

        @Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.directory(serverFiles))
                    .scheduler(new ManualScheduler()).executor(Executors.newFixedThreadPool(2)).build();
        }
    }

    /** Clients must bring the token in their syncPayload (L6). */
    @ApplicationScoped
    public static class TokenPolicy implements StoreAccessPolicy {
        @Override
        public boolean allows(String definition, String storeId) {
            return true;
        }

        @Override
        public boolean allowsClient(String definition, String storeId, String syncPayload) {
            return TOKEN.equals(syncPayload);
        }
    }

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
            .addExtensions(new LiveStoreExtension(), new LiveStoreJaxrsExtension())
            .addBeanClasses(Definitions.class, TokenPolicy.class)).build();

    @Inject
    SyncSessions sessions;
    @Inject
    StoreRegistry registry;

    Path clientFiles;
    RecordingSessions recorded;
    TyrusOnGrizzly server;
    final List<NodeSyncClient> clients = new ArrayList<>();

    @BeforeAll
    static void configure() throws Exception {
        assumeFalse(Boolean.getBoolean("sync-client.skip"), "the real LiveStore client is skipped (-Dsync-client.skip=true)");
        System.setProperty(LiveStoreConfig.SYNC_DEFINITIONS, "todo");
        serverFiles = Files.createTempDirectory("livestore-client-test-server");
    }

    @AfterAll
    static void clear() {
        System.clearProperty(LiveStoreConfig.SYNC_DEFINITIONS);
    }

    @BeforeEach
    void start() throws Exception {
        clientFiles = Files.createTempDirectory("livestore-client-test-clients");
        recorded = new RecordingSessions(sessions);
        server = TyrusOnGrizzly.start(SyncWebSocketEndpoint.config(SyncPath.DEFAULT, () -> recorded));
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        clients.forEach(NodeSyncClient::close);
        server.close();
        // the frames of every connection, next to the clients' logs, for reading a failure afterwards
        recorded.writeTranscript(clientFiles.resolve(test.getTestMethod().orElseThrow().getName() + ".frames.log"));
    }

    NodeSyncClient client(String storeId, String name, String payload) throws Exception {
        NodeSyncClient c = NodeSyncClient.start(server.uri("/livestore/todo").toString(), storeId, clientFiles.resolve(name),
                "client-" + name, "session-" + name + "-" + clients.size(), payload);
        clients.add(c);
        return c;
    }

    Store<TodoSchema> serverStore(String storeId) {
        return registry.retain(Definitions.TODO, storeId).store();
    }

    List<String> serverTodos(String storeId) {
        return serverStore(storeId).query(Query.of(TodoSchema.Todo.class, "SELECT * FROM todos ORDER BY id")).stream()
                .map(t -> t.id() + "|" + t.text() + "|" + t.completed()).toList();
    }

    static List<String> todos(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path("id").asText() + "|" + r.path("text").asText() + "|" + r.path("completed").asBoolean()));
        return out;
    }

    static String created(String id, String text) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}";
    }

    @Test
    void twoClientsConvergeThroughInterleavedCommitsWithTheServersTables() throws Exception {
        NodeSyncClient a = client("board", "a", TOKEN);
        NodeSyncClient b = client("board", "b", TOKEN);
        a.commit("v1.TodoCreated", created("a1", "from A ünï \\\"q\\\""));
        b.commit("v1.TodoCreated", created("b1", "from B"));
        a.waitRows("todos", 2, WAIT); // each changes the other's todo: it must have it first
        b.waitRows("todos", 2, WAIT);
        a.commit("v1.TodoRenamed", created("b1", "B renamed by A"));
        b.commit("v1.TodoCompleted", "{\"id\":\"a1\"}");
        a.waitSynced(WAIT);
        b.waitSynced(WAIT);
        assertConverged(a, b, "board", 4);
    }

    /**
     * Both clients commit at the same moment, round after round (three at least), until the server has answered
     * {@code ServerAheadError} (the rebase path: the loser gets the winner's events on its live pull, rebases and
     * pushes again). Each client commits its round as one transaction and waits until it is synced, so no later
     * commit of its session can overtake a push its leader rejected while rebasing — the precondition of the
     * LiveStore 0.4.0 client bug described at {@link #manyCommitsOfOneClientDuringARebase}.
     */
    @Test
    void twoClientsConvergeThroughSimultaneousCommitsThatForceServerAheadError() throws Exception {
        NodeSyncClient a = client("race", "a", TOKEN);
        NodeSyncClient b = client("race", "b", TOKEN);
        int rounds = 0;
        // two threads of their own, so that both clients commit at the same time whatever the common pool has
        java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            do {
                rounds++;
                String[] ofA = new String[10];
                String[] ofB = new String[10];
                for (int i = 0; i < 5; i++) {
                    String n = rounds + "-" + i;
                    ofA[2 * i] = ofB[2 * i] = "v1.TodoCreated";
                    ofA[2 * i + 1] = created("a" + n, "A " + n);
                    ofB[2 * i + 1] = created("b" + n, "B " + n);
                }
                CompletableFuture<JsonNode> byA = CompletableFuture.supplyAsync(() -> a.commit(ofA), threads);
                CompletableFuture<JsonNode> byB = CompletableFuture.supplyAsync(() -> b.commit(ofB), threads);
                byA.join();
                byB.join();
                a.waitSynced(WAIT);
                b.waitSynced(WAIT);
            } while ((rounds < 3 || recorded.sent("ServerAheadError") == 0) && rounds < 20); // the race again once synced
        } finally {
            threads.shutdown();
        }
        assertTrue(recorded.sent("ServerAheadError") > 0, "simultaneous commits made the server answer ServerAheadError");
        assertConverged(a, b, "race", rounds * 10);
    }

    /**
     * Many separate commits of each client while the other's arrive: off by default (run it with
     * {@code -Dsync-client.simultaneous=true}) because it trips a bug of the LiveStore 0.4.0 client, not of the
     * server. When a client's leader rebases (the other client's events came in on the live pull) while its
     * session is pushing commits to it, the leader rejects that push (LeaderAheadError), the session
     * drops its push queue, and the session's next commit is pushed to the leader alone and accepted there
     * without the rejected ones before it. Recorded (2026-12-02): client B's leader log held seqNums 1, 2, 3, 6
     * (its commits 4 and 5 never reached it); it pushed {@code [6 parent 5]} to a server whose head was 3 and got
     * {@code ServerAheadError{3, 5}}, as the reference server answers; when the next events came in on its live
     * pull, its session materialized its own event 6 a second time ("UNIQUE constraint failed: todos.id") — or,
     * with no further event coming, it would keep the event pending forever. The server's frames were those of
     * the reference server throughout (see {@code SyncServiceTest}). LiveStore fixed this after 0.4.0
     * (livestorejs/livestore#1530, "fence rejected pending event prefixes", on main since 2026-08-08; the 0.4.0
     * npm release has the code of tag v0.4.0 without it). It fails intermittently: 2 of 3 CI runs on the loaded
     * machine, 1 of 12 runs on a quieter one.
     */
    @Test
    void manyCommitsOfOneClientDuringARebase() throws Exception {
        assumeTrue(Boolean.getBoolean("sync-client.simultaneous"), "trips a LiveStore 0.4.0 client bug: see the javadoc");
        NodeSyncClient a = client("many", "a", TOKEN);
        NodeSyncClient b = client("many", "b", TOKEN);
        int rounds = 0;
        java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            do {
                rounds++;
                List<CompletableFuture<JsonNode>> both = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    String n = rounds + "-" + i;
                    both.add(CompletableFuture.supplyAsync(() -> a.commit("v1.TodoCreated", created("a" + n, "A " + n)), threads));
                    both.add(CompletableFuture.supplyAsync(() -> b.commit("v1.TodoCreated", created("b" + n, "B " + n)), threads));
                }
                both.forEach(CompletableFuture::join);
                a.waitSynced(WAIT);
                b.waitSynced(WAIT);
            } while (recorded.sent("ServerAheadError") == 0 && rounds < 10);
        } finally {
            threads.shutdown();
        }
        assertConverged(a, b, "many", rounds * 10);
    }

    /** Both clients' tables are the server's, and the server's log holds {@code events} events once, 1..n. */
    void assertConverged(NodeSyncClient a, NodeSyncClient b, String storeId, int events) throws InterruptedException {
        List<String> server = serverTodos(storeId);
        // "synced" is the leader's view; a client's tables follow it a moment later (after a rebase, too)
        assertEquals(server, converged(a, server), "client A's table is the server's");
        assertEquals(server, converged(b, server), "client B's table is the server's");
        List<CommittedEvent> log = serverStore(storeId).eventsSince(0);
        assertEquals(events, log.size(), "every event once");
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).seq());
        }
        if (storeId.equals("board")) {
            assertTrue(server.contains("a1|from A ünï \"q\"|true"), server.toString());
            assertTrue(server.contains("b1|B renamed by A|false"), server.toString());
        }
    }

    /** The client's todos once they equal {@code expected}, or as they are after {@link #WAIT}. */
    static List<String> converged(NodeSyncClient client, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> rows = todos(client.rows("todos"));
        while (!rows.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50); // waiting for the client's own process, not for time to pass
            rows = todos(client.rows("todos"));
        }
        return rows;
    }

    @Test
    void aRestartedClientResumesFromItsCursor() throws Exception {
        NodeSyncClient a = client("resume", "a", TOKEN);
        a.commit("v1.TodoCreated", created("x", "1"), "v1.TodoCreated", created("y", "2"));
        a.waitSynced(WAIT);
        a.close();
        clients.remove(a);
        NodeSyncClient b = client("resume", "b", TOKEN);
        b.waitRows("todos", 2, WAIT);
        b.commit("v1.TodoCreated", created("z", "3"));
        b.waitSynced(WAIT);
        NodeSyncClient again = client("resume", "a", TOKEN);
        assertEquals(List.of("x|1|false", "y|2|false", "z|3|false"), todos(again.waitRows("todos", 3, WAIT)));
        List<String> pulls = recorded.received("SyncWsRpc.Pull");
        String last = pulls.get(pulls.size() - 1);
        assertTrue(last.contains("\"eventSequenceNumber\":2"), "the restarted client pulled after its cursor: " + last);
    }

    @Test
    void javaCommitsReachBothClientsAndAClientsCommitsReachJavaCode() throws Exception {
        NodeSyncClient a = client("shared", "a", TOKEN);
        NodeSyncClient b = client("shared", "b", TOKEN);
        Store<TodoSchema> store = serverStore("shared");
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        store.subscribe(Query.of(String.class, "SELECT id FROM todos WHERE completed = 1 ORDER BY id"), seen::add);
        store.commit(new TodoSchema.TodoCreated("java", "from Java"));
        assertEquals(List.of("java|from Java|false"), todos(a.waitRows("todos", 1, WAIT)));
        assertEquals(List.of("java|from Java|false"), todos(b.waitRows("todos", 1, WAIT)));
        JsonNode javaEvent = a.events().path("events").get(0);
        assertFalse(javaEvent.path("clientId").asText().startsWith("client-"), "the server's clientId: " + javaEvent);

        a.commit("v1.TodoCompleted", "{\"id\":\"java\"}");
        a.waitSynced(WAIT);
        assertEquals(List.of("java|from Java|true"), serverTodos("shared"));
        assertEquals(List.of("java"), seen.get(seen.size() - 1), "a Java subscription saw the client's commit");

        a.commit("v1.NoteAdded", "{\"id\":\"n1\",\"note\":\"only JavaScript knows notes\"}");
        JsonNode notes = b.waitRows("notes", 1, WAIT);
        assertEquals("only JavaScript knows notes", notes.get(0).path("note").asText(), "kept and forwarded (L4)");
        CommittedEvent kept = store.eventsSince(2).get(0);
        assertEquals(new UnrecognizedEvent("v1.NoteAdded", "{\"id\":\"n1\",\"note\":\"only JavaScript knows notes\"}"), kept.event());
    }

    @Test
    void aClientWithoutTheTokenIsRefusedAndLoadsNothing() throws Exception {
        NodeSyncClient stranger = client("locked", "s", "{\"authToken\":\"wrong\"}");
        stranger.commit("v1.TodoCreated", created("s", "never synced"));
        JsonNode answer = stranger.callRaw(NodeSyncClient.JSON.createObjectNode().put("cmd", "waitSynced").put("timeoutMs", 3000),
                Duration.ofSeconds(3));
        assertFalse(answer.path("ok").asBoolean(), answer.toString());
        assertTrue(registry.snapshot().stores().stream().noneMatch(s -> s.storeId().equals("locked")), "nothing loaded");
    }
}
