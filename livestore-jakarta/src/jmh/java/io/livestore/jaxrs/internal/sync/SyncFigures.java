package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The LiveStore protocol figures of DESIGN.md §7, with the real LiveStore 0.4.0 client (sync-client/) on the
 * sync endpoint (Tyrus on Grizzly, 127.0.0.1, a store on files at the default durability):
 * <ol>
 *   <li>a client's push seen by another client's live pull: client A commits one todo, client B's table shows
 *       it; end to end (A's commit to B's row, both clients' own work included) and the server's share (the
 *       push frame received from A to the chunk handed to B's connection), p50/p99;</li>
 *   <li>a pull of 10,000 events: by a WebSocket client that acknowledges every chunk at once (the server's
 *       rate), next to its baseline in the same run — raw sqlite-jdbc reading the same rows of the store's
 *       file — as a ratio; and by a fresh real client until its table has the 10,000 rows.</li>
 * </ol>
 * Command (needs sync-client's packages: {@code bash .ci/install-sync-client}):
 * {@code mvn -q -Pbench -pl livestore-jakarta test-compile exec:exec -Dbench.main=io.livestore.jaxrs.internal.sync.SyncFigures
 * -Djmh.args="pushes=200 rounds=5"}.
 */
public final class SyncFigures {

    static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();

    private SyncFigures() {
    }

    public static void main(String[] args) throws Exception {
        int pushes = 200;
        int rounds = 5;
        for (String a : args) {
            if (a.startsWith("pushes=")) {
                pushes = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("rounds=")) {
                rounds = Integer.parseInt(a.substring(7));
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "': pushes=, rounds=");
            }
        }
        Path dir = Files.createTempDirectory("sync-figures");
        try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder()
                .storage(StoreStorage.directory(dir.resolve("server"))).build())) {
            Map<String, Long> pushReceived = new ConcurrentHashMap<>();
            Map<String, Long> chunkSent = new ConcurrentHashMap<>();
            SyncSessions engine = (handshake, transport) -> {
                StoreLease<TodoSchema> lease = registry.retain(TODO, handshake.storeId());
                return new ClientConnection(lease, lease.store(), transport, true, Clock.systemUTC());
            };
            SyncSessions timed = (handshake, transport) -> {
                String clientName = handshake.payload() == null ? "" : handshake.payload();
                SyncSession session = engine.open(handshake, new SyncTransport() {
                    @Override
                    public boolean send(String frame) {
                        if (clientName.contains("b") && frame.startsWith("{\"_tag\":\"Chunk\"")) {
                            long now = System.nanoTime();
                            for (String id : idsIn(frame)) {
                                chunkSent.putIfAbsent(id, now);
                            }
                        }
                        return transport.send(frame);
                    }

                    @Override
                    public void close(int code, String reason) {
                        transport.close(code, reason);
                    }
                });
                return new SyncSession() {
                    @Override
                    public void onFrame(String frame) {
                        if (frame.contains("SyncWsRpc.Push")) {
                            long now = System.nanoTime();
                            for (String id : idsIn(frame)) {
                                pushReceived.putIfAbsent(id, now);
                            }
                        }
                        session.onFrame(frame);
                    }

                    @Override
                    public void onClosed() {
                        session.onClosed();
                    }
                };
            };
            try (TyrusOnGrizzly server = TyrusOnGrizzly.start(SyncWebSocketEndpoint.config(SyncPath.DEFAULT, () -> timed))) {
                String url = server.uri("/livestore/todo").toString();
                latency(url, dir, pushes, pushReceived, chunkSent);
                pull(url, dir, registry, rounds);
            }
        }
    }

    /** The todo ids ("p…") in a frame. */
    static List<String> idsIn(String frame) {
        List<String> ids = new ArrayList<>();
        int i = 0;
        while ((i = frame.indexOf("\"id\":\"p", i)) >= 0) {
            int start = i + 6;
            int end = frame.indexOf('"', start);
            ids.add(frame.substring(start, end));
            i = end;
        }
        return ids;
    }

    private static void latency(String url, Path dir, int pushes, Map<String, Long> pushReceived,
                                Map<String, Long> chunkSent) throws Exception {
        // the payload parameter names the client, so the timing transport knows B's connection
        try (NodeSyncClient a = NodeSyncClient.start(url, "latency", dir.resolve("a"), "client-a", "session-a", "\"a\"");
             NodeSyncClient b = NodeSyncClient.start(url, "latency", dir.resolve("b"), "client-b", "session-b", "\"b\"")) {
            for (int i = 0; i < 20; i++) { // warm-up
                a.commit("v1.TodoCreated", "{\"id\":\"w" + i + "\",\"text\":\"warm\"}");
            }
            b.waitRows("todos", 20, Duration.ofSeconds(60));
            double[] endToEnd = new double[pushes];
            double[] serverShare = new double[pushes];
            for (int i = 0; i < pushes; i++) {
                String id = "p" + i;
                CompletableFuture<JsonNode> seen = CompletableFuture.supplyAsync(() -> b.call(NodeSyncClient.JSON.createObjectNode()
                        .put("cmd", "rowTimes").put("table", "todos").put("timeoutMs", 20000)
                        .set("ids", NodeSyncClient.JSON.createArrayNode().add(id)), Duration.ofSeconds(20)));
                Thread.sleep(20); // let B's watch start before A commits
                JsonNode committed = a.commit("v1.TodoCreated", "{\"id\":\"" + id + "\",\"text\":\"t\"}");
                JsonNode atB = seen.get(30, TimeUnit.SECONDS);
                endToEnd[i] = atB.path("atMs").path(id).asDouble() - committed.path("atMs").asDouble();
                Long in = pushReceived.get(id);
                Long out = chunkSent.get(id);
                serverShare[i] = in == null || out == null ? Double.NaN : (out - in) / 1e6;
            }
            System.out.printf(Locale.ROOT, "push seen by the other client's live pull, %d pushes: end to end p50 %.1f ms, p99 %.1f ms;"
                    + " server's share p50 %.2f ms, p99 %.2f ms%n", pushes, pct(endToEnd, 50), pct(endToEnd, 99),
                    pct(serverShare, 50), pct(serverShare, 99));
        }
    }

    private static void pull(String url, Path dir, StoreRegistry registry, int rounds) throws Exception {
        Store<TodoSchema> store = registry.getOrLoad(TODO, "pull").toCompletableFuture().join();
        List<TodoSchema.TodoCreated> events = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            events.add(new TodoSchema.TodoCreated("t" + i, "todo number " + i));
        }
        store.commit(events);
        // The baseline reads the same rows from a file of its own (the store's file is locked by its store).
        Path db = dir.resolve("raw.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("CREATE TABLE __livestore_events (seq_num INTEGER PRIMARY KEY, "
                    + "parent_seq_num INTEGER NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL, client_id TEXT NOT NULL, "
                    + "session_id TEXT NOT NULL, created_at INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO __livestore_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (io.livestore.store.spi.LogEvent e : io.livestore.store.internal.LocalLog.of(store).logEventsAfter(0, 10_000)) {
                    insert.setLong(1, e.seqNum());
                    insert.setLong(2, e.parentSeqNum());
                    insert.setString(3, e.name());
                    insert.setString(4, e.args());
                    insert.setString(5, e.clientId());
                    insert.setString(6, e.sessionId());
                    insert.setLong(7, e.createdAt().toEpochMilli());
                    insert.setString(8, e.eventId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
        double[] server = new double[rounds];
        double[] raw = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            server[r] = 10_000 / seconds(() -> pullOverWebSocket(url));
            raw[r] = 10_000 / seconds(() -> readRaw(db));
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = server[r] / raw[r];
        }
        System.out.printf(Locale.ROOT, "pull of 10,000 events over the endpoint (acknowledging client): median %.0f events/s;"
                + " raw sqlite-jdbc reading the same rows: %.0f rows/s; ratio %.3f (per-round ratios %s)%n",
                pct(server, 50), pct(raw, 50), pct(ratios, 50), Arrays.toString(ratios));
        long start = System.nanoTime();
        try (NodeSyncClient fresh = NodeSyncClient.start(url, "pull", dir.resolve("fresh"), "client-f", "session-f", null)) {
            fresh.waitRows("todos", 10_000, Duration.ofSeconds(120));
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "pull of 10,000 events by a fresh real LiveStore client (process start to the 10,000th row): "
                    + "%.2f s, %.0f events/s%n", s, 10_000 / s);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static double seconds(Work w) throws Exception {
        long t = System.nanoTime();
        w.run();
        return (System.nanoTime() - t) / 1e9;
    }

    static void readRaw(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement ps = c.prepareStatement("SELECT seq_num, name, args, client_id, session_id, created_at, event_id "
                     + "FROM __livestore_events WHERE seq_num > ? ORDER BY seq_num LIMIT 100")) {
            long after = 0;
            int n = 0;
            StringBuilder sink = new StringBuilder();
            while (true) {
                ps.setLong(1, after);
                int page = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong(1);
                        sink.setLength(0);
                        sink.append(rs.getString(2)).append(rs.getString(3)).append(rs.getString(4)).append(rs.getString(5))
                                .append(rs.getLong(6)).append(rs.getString(7));
                        page++;
                    }
                }
                n += page;
                if (page == 0) {
                    break;
                }
            }
            if (n != 10_000) {
                throw new IllegalStateException("read " + n + " rows");
            }
        }
    }

    /** A pull of the whole store by a JDK WebSocket client that acknowledges each chunk as it arrives. */
    static void pullOverWebSocket(String url) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            final StringBuilder text = new StringBuilder();
            int events;

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String frame = text.toString();
                    text.setLength(0);
                    if (frame.startsWith("{\"_tag\":\"Chunk\"")) {
                        int i = 0;
                        while ((i = frame.indexOf("\"eventEncoded\"", i)) >= 0) {
                            events++;
                            i++;
                        }
                        ws.sendText("{\"_tag\":\"Ack\",\"requestId\":\"0\"}", true);
                    } else if (frame.startsWith("{\"_tag\":\"Exit\"")) {
                        done.complete(events);
                    }
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url + "?storeId=pull&transport=ws"), listener).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"_tag\":\"Request\",\"id\":\"0\",\"tag\":\"SyncWsRpc.Pull\",\"payload\":{\"storeId\":\"pull\",\"live\":false,"
                + "\"cursor\":{\"_tag\":\"None\"}},\"headers\":[]}", true);
        int got = done.get(60, TimeUnit.SECONDS);
        ws.sendClose(1000, "done");
        if (got != 10_000) {
            throw new IllegalStateException("pulled " + got + " events");
        }
    }

    static double pct(double[] values, int p) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }
}
