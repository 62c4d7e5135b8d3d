package io.livestore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10 on real servers: two WildFly nodes (port offsets 1200 and 1300, own data directories, bound
 * to 127.0.0.1) share every store through one embedded PostgreSQL (127.0.0.1, a port the OS picks). The
 * suite's WAR plus pgjdbc in WEB-INF/lib and two {@code <data-source>}s in its web.xml (a pool for the
 * log, a pool of its own for the LISTEN connection, used by node 1 only); the cluster keys are system
 * properties of each server. The steps run in order on the same two servers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoWildFlyClusterIT {

    private static final String CONTEXT = "livestore-cluster";
    private static EmbeddedPostgres postgres;
    private static WildFlyNode node1;
    private static WildFlyNode node2;
    private static Server one;
    private static Server two;

    @BeforeAll
    static void startPostgresAndTwoServers() throws Exception {
        Path root = Files.createDirectories(Path.of(System.getProperty("it.cluster.dir")));
        postgres = EmbeddedPostgres.builder().setDataDirectory(root.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("fsync", "off")
                .setLocaleConfig("encoding", "UTF8").setLocaleConfig("locale", "C").start();
        Path war = clusterWar(root, postgres.getPort());
        node1 = WildFlyNode.start("node-1", root, 1200, war, keys("node-1", root));
        node2 = WildFlyNode.start("node-2", root, 1300, war, keys("node-2", root));
        one = awaitReady(node1);
        two = awaitReady(node2);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (WildFlyNode n : new WildFlyNode[] {node1, node2}) {
            if (n != null) {
                n.stop();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Node 1 listens through the second DataSource; node 2 is given none, so it keeps a connection of the
     * first pool for LISTEN (the fallback, with its warning) — and its live query below still hears node 1.
     */
    private static Map<String, String> keys(String nodeId, Path root) {
        Map<String, String> keys = new java.util.HashMap<>(Map.of("livestore.cluster.datasource", "java:app/livestore/Log",
                "livestore.node-id", nodeId,
                "livestore.data-dir", root.resolve(nodeId + "-stores").toString(),
                "livestore.sse-heartbeat", "1s"));
        if (nodeId.equals("node-1")) {
            keys.put("livestore.cluster.listen-datasource", "java:app/livestore/LogListen");
        }
        return keys;
    }

    /** The suite's WAR with the PostgreSQL driver and the two DataSources the cluster keys name. */
    private static Path clusterWar(Path root, int pgPort) throws Exception {
        WebArchive war = Server.war();
        Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        war.addAsLibrary(driver.toFile(), "postgresql.jar");
        // the driver's timeouts in the URL: WildFly's data-source properties find no int setters of pgjdbc (WFLYJCA0016)
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?connectTimeout=5&amp;loginTimeout=5";
        war.setWebXML(new StringAsset("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  %s
                  %s
                </web-app>
                """.formatted(dataSource("java:app/livestore/Log", url + "&amp;socketTimeout=15", 10),
                // LISTEN waits in getNotifications(timeout) of its own: no socketTimeout
                dataSource("java:app/livestore/LogListen", url, 2))));
        Path file = root.resolve(CONTEXT + ".war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    /** Non-transactional (an append commits its own transaction), with the driver's timeouts. */
    private static String dataSource(String name, String url, int maxPool) {
        return """
                <data-source>
                    <name>%s</name>
                    <class-name>org.postgresql.ds.PGSimpleDataSource</class-name>
                    <url>%s</url>
                    <user>postgres</user>
                    <password>postgres</password>
                    <transactional>false</transactional>
                    <max-pool-size>%d</max-pool-size>
                    <min-pool-size>0</min-pool-size>
                  </data-source>""".formatted(name, url, maxPool);
    }

    private static Server awaitReady(WildFlyNode node) throws Exception {
        Server server = new Server(node.url(CONTEXT));
        long deadline = System.nanoTime() + WildFlyNode.startupPatience().toNanos();
        while (true) {
            try {
                HttpResponse<String> r = server.get("registry");
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            if (!node.isAlive() || System.nanoTime() > deadline) {
                fail(node.name() + " did not serve the cluster WAR; console:\n" + node.consoleTail());
            }
            Thread.sleep(250);
        }
    }

    @Test
    @Order(1)
    void aCommitOnNodeOneIsReadOnNodeTwo() {
        one.json(one.post("notebooks/shared-1/notes?noteId=a&text=from-node-1"));
        JsonNode onTwo = two.json(two.get("notebooks/shared-1"));
        assertEquals(1, onTwo.get("head").asLong(), onTwo.toString());
        assertEquals("from-node-1", onTwo.get("notes").get(0).get("text").asText(), onTwo.toString());
    }

    @Test
    @Order(2)
    void aLiveQueryOnNodeTwoReceivesNodeOnesCommit() throws Exception {
        one.json(one.post("notebooks/live-1/notes?noteId=a&text=first"));
        HttpResponse<InputStream> stream = Server.client().send(HttpRequest.newBuilder(two.uri("notebooks/live-1/live"))
                        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String first = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> nextResult(events));
            assertTrue(first.contains("first") && !first.contains("second"), first);
            one.json(one.post("notebooks/live-1/notes?noteId=b&text=second"));
            String next = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> nextResult(events),
                    "node 2's live query gets node 1's commit without any request on node 2");
            assertTrue(next.contains("first") && next.contains("second"), next);
        }
    }

    @Test
    @Order(3)
    void bothServersListenOnLoopbackOnly() throws IOException {
        for (WildFlyNode n : List.of(node1, node2)) {
            List<ListeningSockets.Socket> sockets = ListeningSockets.of(n.serverPid());
            assertTrue(!sockets.isEmpty(), n.name() + " listens somewhere");
            assertEquals(List.of(), sockets.stream().filter(s -> !s.loopback()).toList(), n.name() + ": " + sockets);
        }
    }

    @Test
    @Order(4)
    void withNodeOneStoppedNodeTwoServesEveryStore() throws Exception {
        node1.stop();
        JsonNode shared = two.json(two.get("notebooks/shared-1"));
        assertEquals(1, shared.get("head").asLong(), shared.toString());
        two.json(two.post("notebooks/shared-1/notes?noteId=b&text=after-node-1-stopped"));
        two.json(two.post("notebooks/live-1/notes?noteId=c&text=third"));
        assertEquals(3, two.json(two.get("notebooks/live-1")).get("head").asLong());
        two.json(two.post("notebooks/new-on-2/notes?noteId=a&text=new"));
        assertEquals(1, two.json(two.get("notebooks/new-on-2")).get("head").asLong());
        assertEquals(List.of("node-1", "node-2"), clientIds("shared-1"), "every commit is in PostgreSQL with its node");
    }

    private static List<String> clientIds(String storeId) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT client_id FROM livestore_event WHERE store_id = '" + storeId
                     + "' ORDER BY seq_num")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** The data of the next {@code result} event. */
    private static String nextResult(BufferedReader events) throws IOException {
        String line;
        boolean inResult = false;
        while ((line = events.readLine()) != null) {
            if (line.equals("event: result") || line.equals("event:result")) {
                inResult = true;
            } else if (inResult && line.startsWith("data:")) {
                return line.substring(5).trim();
            }
        }
        throw new AssertionError("the stream ended before a result event");
    }
}
