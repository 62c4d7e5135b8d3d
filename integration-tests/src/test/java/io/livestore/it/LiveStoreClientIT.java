package io.livestore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.it.todo.TodoDefinition;
import io.livestore.it.todo.TodoResource;
import io.livestore.it.todo.TodoSchema;
import io.livestore.it.todo.TodoTokenPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 on WildFly and Payara: real LiveStore 0.4.0 JavaScript clients (sync-client/, Node processes) sync
 * a {@code todo} store through the WebSocket endpoint the library registers at {@code <context>/livestore/todo},
 * while the application's Java code reads it through an injected {@code Store}, commits to it and streams
 * it as a live query. Clients must present a token in their {@code syncPayload} ({@link TodoTokenPolicy}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@DisabledIfSystemProperty(named = "sync-client.skip", matches = "true",
        disabledReason = "the real LiveStore client is skipped (-Dsync-client.skip=true)")
class LiveStoreClientIT {

    static final String PAYLOAD = "{\"authToken\":\"" + TodoTokenPolicy.TOKEN + "\"}";
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    /** The suite's WAR with the todo application, and its configuration opening {@code todo} to clients. */
    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WebArchive war = Server.war().addClasses(TodoSchema.class, TodoSchema.TodoCreated.class,
                TodoSchema.TodoCompleted.class, TodoSchema.TodoRenamed.class, TodoSchema.Todo.class,
                TodoDefinition.class, TodoTokenPolicy.class, TodoResource.class);
        String config;
        try (InputStream in = war.get(CONFIG).getAsset().openStream()) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        war.delete(CONFIG);
        return war.add(new StringAsset(config + "\n# LiveStoreClientIT: JavaScript clients may sync todo stores\n"
                + "livestore.sync.definitions=todo\n"), CONFIG);
    }

    @ArquillianResource
    URL deployment;

    Server server;
    String syncUrl;
    Path clientFiles;
    final List<NodeSyncClient> clients = new ArrayList<>();
    final List<InputStream> streams = new ArrayList<>();

    @BeforeEach
    void connect() throws IOException {
        server = new Server(deployment);
        syncUrl = "ws://127.0.0.1:" + deployment.getPort() + deployment.getPath()
                + (deployment.getPath().endsWith("/") ? "" : "/") + "livestore/todo";
        clientFiles = Files.createTempDirectory("livestore-it-clients");
    }

    @AfterEach
    void stop() throws IOException {
        clients.forEach(NodeSyncClient::close);
        for (InputStream s : streams) {
            s.close();
        }
    }

    NodeSyncClient client(String storeId, String name, String payload) throws IOException {
        NodeSyncClient c = NodeSyncClient.start(syncUrl, storeId, clientFiles.resolve(name), "client-" + name,
                "session-" + name, payload);
        clients.add(c);
        return c;
    }

    /** The store's todos as Java code reads them through the injected store. */
    List<String> serverTodos(String storeId) {
        return todos(server.json(server.get("todos/" + storeId)).get("todos"));
    }

    /**
     * The client's todos once they equal {@code expected}, or as they are after {@link #WAIT}: "synced" is the
     * client's leader; its tables follow a moment later.
     */
    static List<String> converged(NodeSyncClient client, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> rows = todos(client.rows("todos"));
        while (!rows.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50); // waiting for the client's process, not for time to pass
            rows = todos(client.rows("todos"));
        }
        return rows;
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
    void aClientsCommitsReachTheInjectedStoreAndAnOpenLiveQuery() throws Exception {
        LiveResults live = LiveResults.open(server.uri("todos/from-js/live"), streams);
        assertEquals(List.of(), todos(live.await(r -> true)), "the live query's first result: no todo yet");
        NodeSyncClient a = client("from-js", "a", PAYLOAD);
        a.commit("v1.TodoCreated", created("a1", "from JavaScript ünï \\\"q\\\""));
        assertEquals(List.of("a1|from JavaScript ünï \"q\"|false"), todos(live.await(r -> r.size() == 1)),
                "the open live query saw the client's commit");
        a.commit("v1.TodoCompleted", "{\"id\":\"a1\"}");
        assertEquals(List.of("a1|from JavaScript ünï \"q\"|true"),
                todos(live.await(r -> r.size() == 1 && r.get(0).path("completed").asBoolean())));
        a.waitSynced(WAIT);
        assertEquals(List.of("a1|from JavaScript ünï \"q\"|true"), serverTodos("from-js"), "the injected store");
        assertEquals(2, server.json(server.get("todos/from-js")).get("head").asLong());
    }

    @Test
    void aJavaCommitReachesBothClientsAndTwoClientsConverge() throws Exception {
        NodeSyncClient a = client("shared", "a", PAYLOAD);
        NodeSyncClient b = client("shared", "b", PAYLOAD);
        assertEquals(1, server.json(server.post("todos/shared?id=java&text=from%20Java")).get("head").asLong());
        assertEquals(List.of("java|from Java|false"), todos(a.waitRows("todos", 1, WAIT)));
        assertEquals(List.of("java|from Java|false"), todos(b.waitRows("todos", 1, WAIT)));

        a.commit("v1.TodoCreated", created("a1", "from A"));
        b.commit("v1.TodoCreated", created("b1", "from B"));
        a.waitRows("todos", 3, WAIT); // each changes the other's todo next: it must have it first
        b.waitRows("todos", 3, WAIT);
        a.commit("v1.TodoRenamed", created("b1", "B renamed by A"));
        b.commit("v1.TodoCompleted", "{\"id\":\"a1\"}", "v1.TodoCompleted", "{\"id\":\"java\"}");
        a.commit("v1.NoteAdded", "{\"id\":\"n1\",\"note\":\"only JavaScript knows notes\"}");
        assertEquals("only JavaScript knows notes", b.waitRows("notes", 1, WAIT).get(0).path("note").asText(),
                "an event the Java schema does not know is kept and forwarded");
        a.waitSynced(WAIT);
        b.waitSynced(WAIT);
        List<String> expected = List.of("a1|from A|true", "b1|B renamed by A|false", "java|from Java|true");
        assertEquals(expected, serverTodos("shared"), "the injected store");
        assertEquals(expected, converged(a, expected), "client A converged with the server");
        assertEquals(expected, converged(b, expected), "client B converged with the server");
        assertEquals(7, server.json(server.get("todos/shared")).get("head").asLong(), "every event once");
    }

    @Test
    void aClientWithAWrongTokenIsRefusedBeforeTheUpgradeAndNothingIsLoaded() throws Exception {
        String wrong = "{\"authToken\":\"wrong\"}";
        NodeSyncClient stranger = client("locked", "s", wrong);
        stranger.commit("v1.TodoCreated", created("s", "never synced"));
        JsonNode answer = stranger.callRaw(NodeSyncClient.JSON.createObjectNode().put("cmd", "waitSynced")
                .put("timeoutMs", 3000), Duration.ofSeconds(3));
        assertFalse(answer.path("ok").asBoolean(), "the refused client never synced: " + answer);

        // What the client's retries get each time: 403 to the upgrade request, no WebSocket.
        String payload = URLEncoder.encode(URLEncoder.encode(wrong, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        try {
            Server.client().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                    .buildAsync(URI.create(syncUrl + "?storeId=locked&payload=" + payload + "&transport=ws"),
                            new WebSocket.Listener() { })
                    .get(30, TimeUnit.SECONDS).abort();
            fail("the upgrade with a wrong token was accepted");
        } catch (ExecutionException e) {
            WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertEquals(403, refused.getResponse().statusCode());
        }
        assertNull(server.storeEntry("todo", "locked"), "a refused client's store is not loaded");
        assertFalse(Files.exists(StoreFiles.of("todo", "locked")), "nor created");
    }

    /** The {@code result} events of a live query (Server-Sent Events), read on a thread of their own. */
    static final class LiveResults {
        private final BlockingQueue<JsonNode> results = new LinkedBlockingQueue<>();

        static LiveResults open(URI uri, List<InputStream> streams) throws Exception {
            HttpResponse<InputStream> response = Server.client().send(HttpRequest.newBuilder(uri)
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(120)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            streams.add(response.body());
            assertEquals(200, response.statusCode());
            LiveResults live = new LiveResults();
            Thread reader = new Thread(() -> live.read(response.body()), "live-query-reader");
            reader.setDaemon(true);
            reader.start();
            return live;
        }

        private void read(InputStream body) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if ("result".equals(event)) {
                            results.add(Server.parse(data.toString()));
                        }
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring("event:".length()).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() == 0 ? "" : "\n").append(line.substring("data:".length()).strip());
                    }
                }
            } catch (IOException e) {
                // the test closed the stream
            }
        }

        /** The first result that satisfies {@code condition}, within 30 s. */
        JsonNode await(Predicate<JsonNode> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<JsonNode> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                JsonNode r = results.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (r != null) {
                    seen.add(r);
                    if (condition.test(r)) {
                        return r;
                    }
                }
            }
            return fail("no such live query result within " + WAIT.toSeconds() + " s; results seen: " + seen);
        }
    }
}
