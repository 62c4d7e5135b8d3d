package io.livestore.sync;

import io.livestore.store.spi.Upstream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The upstream contract on PostgreSQL: one embedded server for the class, a fresh schema per test (the
 * backend), every node another {@link PostgresUpstream} on that schema with its own pool and LISTEN connection.
 */
class PostgresUpstreamContractTest extends UpstreamContract {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private String schema;
    private final AtomicInteger nodes = new AtomicInteger();

    @BeforeAll
    static void startPostgres() {
        server = EmbeddedPostgresServer.started();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        server.close();
    }

    @Override
    protected Upstream newBackend() {
        schema = "contract" + SCHEMAS.incrementAndGet();
        return newNode();
    }

    @Override
    protected Upstream newNode() {
        // each node its own pool, as on separate servers (Java SE: HikariCP, LISTEN outside the pool)
        return PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "", PostgresUpstreamOptions.builder()
                .schema(schema).applicationName(schema + "-node" + nodes.incrementAndGet())
                .statementTimeout(Duration.ofSeconds(10)).maxPoolSize(5).build());
    }

    /** The row lock every append of the store takes, held by a transaction of the test's own. */
    @Override
    protected AutoCloseable holdWriters(String storeId) throws SQLException {
        Connection c = server.dataSource("postgres").getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT head FROM " + schema + ".livestore_store WHERE store_id = ? FOR UPDATE")) {
            ps.setString(1, storeId);
            if (!ps.executeQuery().next()) {
                throw new IllegalStateException("store '" + storeId + "' has no log to hold");
            }
        }
        return () -> {
            if (!c.isClosed()) {
                c.rollback();
                c.close();
            }
        };
    }

    @Override
    protected void dropBackend() {
        server.execute("postgres", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
