package io.livestore.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.sync.EmbeddedPostgresServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode from the configuration keys, in Weld SE on a real PostgreSQL: two containers (two nodes,
 * own data directories, own node ids) configured only by {@code livestore.cluster.jdbc-url} share a
 * store; the library opens the shared log and closes it with the registry. Bad keys fail the deployment.
 */
class ClusterConfigurationTest {

    private static final List<String> KEYS = List.of(LiveStoreConfig.CLUSTER_DATASOURCE, LiveStoreConfig.CLUSTER_JDBC_URL,
            LiveStoreConfig.CLUSTER_USER, LiveStoreConfig.CLUSTER_PASSWORD, LiveStoreConfig.NODE_ID,
            LiveStoreConfig.CLUSTER_CHECK_INTERVAL, LiveStoreConfig.CLUSTER_MAX_COMMIT_ATTEMPTS, LiveStoreConfig.DATA_DIR);

    private static EmbeddedPostgresServer postgres;
    private final List<WeldContainer> containers = new ArrayList<>();

    @ApplicationScoped
    public static class IssueDefinition {
        @Produces
        @StoreDef("issue")
        static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();
    }

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.started();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void clear() {
        containers.forEach(c -> {
            if (c.isRunning()) {
                c.shutdown();
            }
        });
        KEYS.forEach(System::clearProperty);
    }

    private WeldContainer node(String id, Path dataDir) {
        System.setProperty(LiveStoreConfig.NODE_ID, id);
        System.setProperty(LiveStoreConfig.DATA_DIR, dataDir.toString());
        WeldContainer c = new Weld(id).disableDiscovery().property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .addExtension(new LiveStoreExtension()).addBeanClasses(IssueDefinition.class).initialize();
        containers.add(c);
        c.select(StoreRegistry.class).get().stats(); // the registry is made now, with this node's keys
        return c;
    }

    @Test
    void twoNodesConfiguredByAJdbcUrlShareAStoreAndCloseTheirLogWithTheRegistry(@TempDir Path dirs) throws Exception {
        System.setProperty(LiveStoreConfig.CLUSTER_JDBC_URL, postgres.jdbcUrl("postgres"));
        System.setProperty(LiveStoreConfig.CLUSTER_USER, "postgres");
        System.setProperty(LiveStoreConfig.CLUSTER_CHECK_INTERVAL, "2s");
        WeldContainer a = node("node-a", Files.createDirectories(dirs.resolve("a")));
        WeldContainer b = node("node-b", Files.createDirectories(dirs.resolve("b")));
        StoreRegistry onA = a.select(StoreRegistry.class).get();
        StoreRegistry onB = b.select(StoreRegistry.class).get();
        assertTrue(onA.options().upstream().isPresent(), "cluster mode from the keys");

        Store<IssueSchema> storeA = onA.getOrLoad(IssueDefinition.ISSUE, "shared-1").toCompletableFuture().join();
        storeA.commit(new IssueCreated("i1", "first"));
        Store<IssueSchema> storeB = onB.getOrLoad(IssueDefinition.ISSUE, "shared-1").toCompletableFuture().join();
        Query<Optional<Long>> count = Query.first(Long.class, "SELECT count(*) FROM issue");
        assertEquals(Optional.of(1L), storeB.query(count), "node B loads node A's commit from the shared log");

        CountDownLatch two = new CountDownLatch(1);
        storeB.subscribe(count, n -> {
            if (n.orElse(0L) == 2L) {
                two.countDown();
            }
        });
        storeA.commit(new IssueCreated("i2", "second"));
        assertTrue(two.await(10, TimeUnit.SECONDS), "node B's subscription fires for node A's commit without a request on B");
        assertEquals(List.of("node-a", "node-a"), clientIds("shared-1"), "commits record the configured node id");

        a.shutdown();
        b.shutdown();
        assertEquals(0, connectionsOfTheLibraryAfterClose(), "both nodes closed their pool and LISTEN connection");
    }

    @Test
    void bothADataSourceAndAJdbcUrlFailTheDeployment() {
        System.setProperty(LiveStoreConfig.CLUSTER_DATASOURCE, "java:jboss/datasources/Log");
        System.setProperty(LiveStoreConfig.CLUSTER_JDBC_URL, "jdbc:postgresql://127.0.0.1:1/x");
        System.setProperty(LiveStoreConfig.CLUSTER_CHECK_INTERVAL, "soon");
        Exception e = assertThrows(Exception.class, () -> new Weld("bad").disableDiscovery()
                .property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false).addExtension(new LiveStoreExtension())
                .addBeanClasses(IssueDefinition.class).initialize());
        String m = e.getMessage();
        assertTrue(m.contains("LiveStore found 2 problem(s)"), m);
        assertTrue(m.contains("LIVESTORE-0331: both livestore.cluster.datasource and livestore.cluster.jdbc-url are set"), m);
        assertTrue(m.contains("LIVESTORE-0330: configuration livestore.cluster.check-interval='soon' is invalid"), m);
    }

    @Test
    void aDataSourceNameThatIsNotBoundSaysSoWhenTheRegistryIsMade() {
        System.setProperty(LiveStoreConfig.CLUSTER_DATASOURCE, "java:jboss/datasources/Missing");
        WeldContainer c = new Weld("nojndi").disableDiscovery().property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .addExtension(new LiveStoreExtension()).addBeanClasses(IssueDefinition.class).initialize();
        containers.add(c);
        Exception e = assertThrows(Exception.class, () -> c.select(StoreRegistry.class).get().stats());
        Exception again = assertThrows(Exception.class, () -> c.select(StoreRegistry.class).get().stats());
        assertTrue(String.valueOf(again).contains("LIVESTORE-0334") || String.valueOf(again.getCause()).contains("LIVESTORE-0334"),
                "the next use tries again (no broken registry kept): " + again);
        Throwable t = e;
        while (t.getCause() != null && !String.valueOf(t.getMessage()).contains("LIVESTORE-0334")) {
            t = t.getCause();
        }
        assertTrue(t.getMessage().startsWith("LIVESTORE-0334: livestore.cluster.datasource='java:jboss/datasources/Missing' "
                + "names no DataSource the application can see"), t.getMessage());
    }

    private static List<String> clientIds(String storeId) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = postgres.dataSource("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT client_id FROM livestore_event WHERE store_id = '" + storeId
                     + "' ORDER BY seq_num")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Connections named by the library still open; backends end a moment after their client closed them. */
    private static int connectionsOfTheLibraryAfterClose() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n;
        do {
            try (Connection c = postgres.dataSource("postgres").getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'livestore%'")) {
                rs.next();
                n = rs.getInt(1);
            }
            if (n > 0) {
                Thread.sleep(50); // waits for PostgreSQL's backends to exit, not for the code under test
            }
        } while (n > 0 && System.nanoTime() < deadline);
        return n;
    }
}
