package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.livestore.registry.ClusterNode;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.store.Query;
import io.livestore.sync.EmbeddedPostgresServer;
import io.livestore.sync.PostgresUpstream;
import io.livestore.sync.PostgresUpstreamOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * L8 with the real LiveStore 0.4.0 client: two nodes share PostgreSQL, each serves the sync endpoint (Tyrus on
 * Grizzly, 127.0.0.1), one real client on each; what a client pushes to node A reaches the client on node B,
 * both ways, and both clients, both nodes and the log agree.
 */
class LiveStoreClientClusterTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();
    static EmbeddedPostgresServer postgres;

    @TempDir
    Path dir;
    final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startPostgres() {
        assumeFalse(Boolean.getBoolean("sync-client.skip"), "the real LiveStore client is skipped (-Dsync-client.skip=true)");
        postgres = EmbeddedPostgresServer.started();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    /** A node in cluster mode and its sync endpoint; its sessions are the engine's, without policies. */
    TyrusOnGrizzly node(String name) throws Exception {
        PostgresUpstream upstream = PostgresUpstream.connect(postgres.jdbcUrl("postgres"), "postgres", "",
                PostgresUpstreamOptions.builder().schema("clients").applicationName(name).build());
        opened.add(upstream);
        ClusterNode node = new ClusterNode(name, dir.resolve(name), upstream);
        opened.add(node);
        SyncSessions sessions = (handshake, transport) -> {
            StoreLease<TodoSchema> lease = node.registry.retain(TODO, handshake.storeId());
            return new ClientConnection(lease, lease.store(WAIT), transport, true, Clock.systemUTC());
        };
        TyrusOnGrizzly server = TyrusOnGrizzly.start(SyncWebSocketEndpoint.config(SyncPath.DEFAULT, () -> sessions));
        opened.add(server);
        nodes.add(node);
        return server;
    }

    final List<ClusterNode> nodes = new ArrayList<>();

    NodeSyncClient client(TyrusOnGrizzly server, String name) throws Exception {
        NodeSyncClient c = NodeSyncClient.start(server.uri("/livestore/todo").toString(), "across", dir.resolve("client-" + name),
                "client-" + name, "session-" + name, null);
        opened.add(c);
        return c;
    }

    @Test
    void aPushAcceptedOnNodeAReachesAClientOnNodeBAndBack() throws Exception {
        TyrusOnGrizzly a = node("node-a");
        TyrusOnGrizzly b = node("node-b");
        NodeSyncClient onA = client(a, "a");
        NodeSyncClient onB = client(b, "b");
        onA.commit("v1.TodoCreated", "{\"id\":\"1\",\"text\":\"pushed to node A\"}");
        assertEquals("pushed to node A", onB.waitRows("todos", 1, WAIT).get(0).path("text").asText());
        onB.commit("v1.TodoCompleted", "{\"id\":\"1\"}", "v1.TodoCreated", "{\"id\":\"2\",\"text\":\"pushed to node B\"}");
        onA.waitRows("todos", 2, WAIT);
        onA.waitSynced(WAIT);
        onB.waitSynced(WAIT);
        List<String> expected = List.of("1|pushed to node A|true", "2|pushed to node B|false");
        assertEquals(expected, LiveStoreClientTest.converged(onA, expected));
        assertEquals(expected, LiveStoreClientTest.converged(onB, expected));
        for (ClusterNode node : nodes) {
            ClusterNode.await(() -> node.store(TODO, "across").head() == 3, WAIT, node.name + " has the three events");
            assertEquals(expected, node.store(TODO, "across").query(Query.of(TodoSchema.Todo.class, "SELECT * FROM todos ORDER BY id"))
                    .stream().map(t -> t.id() + "|" + t.text() + "|" + t.completed()).toList(), node.name);
        }
    }
}
