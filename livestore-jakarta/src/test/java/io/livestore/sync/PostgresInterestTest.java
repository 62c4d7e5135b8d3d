package io.livestore.sync;

import static io.livestore.sync.PgTestEvents.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.Upstream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link PostgresInterest} on a real PostgreSQL: an append sends a NOTIFY exactly to the other nodes that
 * follow the store, a follow racing appends misses none of them, and the rows of nodes that stopped
 * following, closed or died go away. Absence of a notification is checked without waiting: PostgreSQL
 * delivers notifications in commit order, so one that was sent would arrive before the marker's that a
 * later append sends.
 */
class PostgresInterestTest {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static EmbeddedPostgresServer server;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private String schema;

    @BeforeAll
    static void startPostgres() {
        server = EmbeddedPostgresServer.started();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        server.close();
    }

    @BeforeEach
    void freshSchema() {
        schema = "i" + SCHEMAS.incrementAndGet();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        server.execute("postgres", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** A node whose LISTEN thread refreshes its interest every 250 ms (TTL 1 s). */
    private PostgresUpstream node(String name) {
        PostgresUpstream u = PostgresUpstream.start(server.dataSource("postgres"), PostgresUpstreamOptions.builder()
                .schema(schema).applicationName(name).interestTtl(Duration.ofSeconds(1))
                .listenPollInterval(Duration.ofMillis(50))
                .reconnectMinBackoff(Duration.ofMillis(50)).reconnectMaxBackoff(Duration.ofMillis(200)).build());
        opened.add(u);
        return u;
    }

    /** Starts the node's LISTEN thread (which keeps its interest alive) and waits for its first resync. */
    private PgTestEvents.Recording listening(PostgresUpstream node) throws InterruptedException {
        PgTestEvents.Recording heard = new PgTestEvents.Recording();
        opened.add(node.listen(heard));
        heard.await("resync"::equals, WAIT);
        return heard;
    }

    @Test
    void anAppendSendsNoNotifyWhenNoOtherNodeFollowsTheStore() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        listening(b);
        try (RawListener raw = new RawListener(a.channel(), b.channel())) {
            a.follow("mine"); // the writer's own interest announces nothing to itself
            b.follow("marker");
            ok(a.append("mine", 0, batch(0, "m1")));     // the first append: the full transaction
            ok(a.append("mine", 1, batch(1, "m2")));     // the usual one: one trip
            ok(a.append("alone", 0, batch(0, "a1")));    // nobody follows it
            ok(a.append("alone", 1, batch(1, "a2", "a3")));
            ok(a.append("marker", 0, batch(0, "x1")));
            assertEquals(List.of("1:marker"), raw.until(p -> p.endsWith(":marker")),
                    "only the store another node follows was announced");
        }
    }

    @Test
    void everyAppendPathNotifiesWhileAnotherNodeFollowsAndStopsOnceItsInterestIsGone() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        listening(b);
        try (RawListener raw = new RawListener(b.channel())) {
            Upstream.Interest interest = b.follow("s");
            ok(a.append("s", 0, batch(0, "e1")));                       // first append: full transaction
            ok(a.append("s", 1, batch(1, "e2")));                       // one trip
            ok(a.append("s", 2, manyEvents(2, OneTripAppend.MAX_EVENTS + 1))); // too large for one trip
            long head = 2 + OneTripAppend.MAX_EVENTS + 1;
            assertEquals(List.of("1:s", "2:s", head + ":s"), raw.until(p -> p.equals(head + ":s")));

            interest.close();
            awaitTrue(() -> rows("s") == 0, "b's next refresh deleted its row of the store it no longer follows");
            ok(a.append("s", head, batch(head, "e-after")));
            b.follow("marker");
            ok(a.append("marker", 0, batch(0, "x1")));
            assertEquals(List.of("1:marker"), raw.until(p -> p.endsWith(":marker")), "s is announced no more");
        }
    }

    @Test
    void theRowsOfANodeThatDiedExpireAnnounceNothingAndAreDeleted() throws Exception {
        PostgresUpstream a = node("a");
        listening(a); // its refresh deletes other nodes' expired rows
        String dead = "00000000000000de";
        String live = "000000000000a11e";
        server.execute("postgres", "INSERT INTO " + schema + ".livestore_interest VALUES "
                + "('s', '" + dead + "', 1, clock_timestamp() - interval '1 second'), "
                // a key that names no channel (an operator's or a future version's row): ignored, no failed append
                + "('s', '" + "x".repeat(80) + "', 1, clock_timestamp() + interval '1 hour'), "
                + "('marker', '" + live + "', 1, clock_timestamp() + interval '1 hour')");
        try (RawListener raw = new RawListener(PostgresInterest.CHANNEL_PREFIX + dead, PostgresInterest.CHANNEL_PREFIX + live)) {
            ok(a.append("s", 0, batch(0, "e1")));
            ok(a.append("s", 1, batch(1, "e2")));
            ok(a.append("marker", 0, batch(0, "x1")));
            assertEquals(List.of("1:marker"), raw.until(p -> p.endsWith(":marker")), "an expired row announces nothing");
        }
        awaitTrue(() -> rows("s") == 1, "the dead node's expired row was deleted");
        assertEquals(1, rows("marker"), "a live node's row stays");
    }

    @Test
    void aClosedNodeDeletesItsRowsAtOnce() throws Exception {
        PostgresUpstream b = node("b");
        listening(b);
        b.follow("s");
        b.follow("t");
        assertEquals(1, rows("s"));
        b.close();
        assertEquals(0, rows("s") + rows("t"));
    }

    /**
     * While a node's LISTEN connection is down its rows may expire and other nodes delete them; its
     * reconnect writes them again before the resync, so appends after the resync are announced.
     */
    @Test
    void aNodeWhoseRowsWentWhileItWasNotListeningWritesThemAgainBeforeItsResync() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("reader");
        PgTestEvents.Recording heard = listening(b);
        b.follow("s");
        server.execute("postgres", "DELETE FROM " + schema + ".livestore_interest",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reader-listen'");
        heard.await("resync"::equals, WAIT);
        assertEquals(1, rows("s"), "written again by the reconnect, before the resync");
        ok(a.append("s", 0, batch(0, "e1")));
        assertEquals("s@1", heard.await(x -> x.contains("@"), WAIT));
    }

    /**
     * Y4 with real threads, twenty times: a writer on node A keeps appending while node B follows the store
     * and pulls its backlog, as a registry loads a store; B's copy, woken only by announcements, reaches
     * the log's head — no append fell between B's catch-up and its interest.
     */
    @Test
    void aFollowRacingAppendsMissesNoneOfThem() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        Map<String, ListenContract.FollowingCopy> copies = new ConcurrentHashMap<>();
        opened.add(b.listen(new ChangeListener() {
            @Override
            public void changed(String storeId, long head) {
                ListenContract.FollowingCopy copy = copies.get(storeId);
                if (copy != null) {
                    copy.changed(storeId, head);
                }
            }

            @Override
            public void resync() {
                // the copies below pull their backlog themselves, as a registry's load does
            }
        }));
        int perStore = 30;
        for (int round = 0; round < 20; round++) {
            String storeId = "race-" + round;
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                for (long head = 0; head < perStore; head++) {
                    ok(a.append(storeId, head, batch(head, storeId + "-" + head)));
                    written.incrementAndGet();
                }
            });
            int followAfter = ThreadLocalRandom.current().nextInt(0, 8);
            writer.start();
            while (written.get() < followAfter && writer.isAlive()) {
                Thread.onSpinWait();
            }
            ListenContract.FollowingCopy copy = new ListenContract.FollowingCopy(b, storeId);
            opened.add(copy);
            copies.put(storeId, copy);
            opened.add(copy.follow());
            copy.resync(); // the catch-up pull, after the follow
            writer.join(WAIT.toMillis());
            List<LogEvent> log = b.pull(storeId, 0, 100);
            assertEquals(perStore, log.size());
            assertEquals(log, copy.awaitApplied(perStore), "round " + round + ", follow after " + followAfter
                    + " appends: announcements alone brought the copy to the head");
        }
    }

    @Test
    void aDatabaseOfTheEarlierVersionGetsTheInterestTableOnStart() throws Exception {
        server.execute("postgres", "CREATE SCHEMA " + schema, twoTablesOfTheEarlierVersion(),
                "INSERT INTO " + schema + ".livestore_store VALUES ('s', gen_random_uuid(), 0, now())");
        PostgresUpstream a = node("a");
        assertEquals(0, a.head("s").orElseThrow().head(), "the log is kept");
        a.follow("s");
        assertEquals(1, rows("s"), "the third table was added");
    }

    @Test
    void aUserWhoMayNotCreateTablesIsToldTheInterestTableIsMissing() {
        server.execute("postgres", "CREATE SCHEMA " + schema, twoTablesOfTheEarlierVersion());
        String user = schema + "_app";
        server.execute("postgres", "CREATE ROLE " + user + " LOGIN",
                "GRANT USAGE ON SCHEMA " + schema + " TO " + user,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + user);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresUpstream.start(
                    server.dataSource("postgres", user), PostgresUpstreamOptions.builder().schema(schema).build()));
            assertTrue(e.getMessage().contains("there is no table livestore_interest"), e.getMessage());
        } finally {
            server.execute("postgres", "DROP OWNED BY " + user, "DROP ROLE " + user);
        }
    }

    /** The DDL's first two tables, as the version before the interest table wrote them. */
    private String twoTablesOfTheEarlierVersion() {
        String ddl = String.format(PostgresTables.DDL, schema);
        return ddl.substring(0, ddl.indexOf("CREATE TABLE IF NOT EXISTS " + schema + ".livestore_interest"));
    }

    private static List<LogEvent> manyEvents(long head, int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "many-" + i;
        }
        return batch(head, ids);
    }

    private static void ok(AppendResult result) {
        assertInstanceOf(AppendResult.Ok.class, result);
    }

    private long rows(String storeId) {
        try (Connection c = server.dataSource("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".livestore_interest WHERE store_id = '"
                     + storeId + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + WAIT + ": " + what);
            Thread.sleep(20);
        }
    }

    /** A plain LISTEN connection of the test's own on nodes' channels: every NOTIFY, as its payload. */
    private static final class RawListener implements AutoCloseable {
        private final Connection c;

        RawListener(String... channels) throws SQLException {
            c = server.dataSource("postgres").getConnection();
            try (Statement s = c.createStatement()) {
                for (String channel : channels) {
                    s.execute("LISTEN " + channel);
                }
            }
        }

        /** Every payload up to and including the first that matches (bounded wait). */
        List<String> until(Predicate<String> last) throws SQLException {
            List<String> payloads = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                PGNotification[] notes = c.unwrap(PGConnection.class).getNotifications(100);
                for (PGNotification n : notes == null ? new PGNotification[0] : notes) {
                    payloads.add(n.getParameter());
                    if (last.test(n.getParameter())) {
                        return payloads;
                    }
                }
            }
            throw new AssertionError("no matching notification within " + WAIT + "; heard " + payloads);
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }
}
