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

    /**
     * A node whose LISTEN thread beats every second (TTL 4 s: a loaded machine's stalls stay well below
     * it, so no node is taken for dead unless a test makes it so).
     */
    private PostgresUpstream node(String name) {
        PostgresUpstream u = PostgresUpstream.start(server.dataSource("postgres"), PostgresUpstreamOptions.builder()
                .schema(schema).applicationName(name).interestTtl(Duration.ofSeconds(4))
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
    void theRowsOfANodeWhoseHeartbeatExpiredAnnounceNothingAndAreDeleted() throws Exception {
        PostgresUpstream a = node("a");
        listening(a); // its heartbeat deletes dead nodes' rows
        String dead = "00000000000000de";
        String live = "000000000000a11e";
        String noKey = "x".repeat(80); // an operator's or a future version's row: ignored, and no failed append
        server.execute("postgres", "INSERT INTO " + schema + ".livestore_node VALUES "
                + "('" + dead + "', clock_timestamp() - interval '1 second'), "
                + "('" + live + "', clock_timestamp() + interval '1 hour'), "
                + "('" + noKey + "', clock_timestamp() + interval '1 hour')",
                "INSERT INTO " + schema + ".livestore_interest VALUES ('s', '" + dead + "', 1), ('s', '" + noKey + "', 1), "
                        + "('marker', '" + live + "', 1)");
        try (RawListener raw = new RawListener(PostgresInterest.CHANNEL_PREFIX + dead, PostgresInterest.CHANNEL_PREFIX + live)) {
            ok(a.append("s", 0, batch(0, "e1")));
            ok(a.append("s", 1, batch(1, "e2")));
            ok(a.append("marker", 0, batch(0, "x1")));
            assertEquals(List.of("1:marker"), raw.until(p -> p.endsWith(":marker")), "a dead node is told nothing");
        }
        awaitTrue(() -> rows("s") == 1, "the dead node's rows were deleted, the other one's kept");
        assertEquals(1, rows("marker"), "a live node's row stays");
        assertEquals(0, count("SELECT count(*) FROM " + schema + ".livestore_node WHERE node_key = '" + dead + "'"));
    }

    /**
     * A node that stalled past its heartbeat is dead to the others, who delete its rows; its next heartbeat
     * finds that out, registers it again and makes its listeners resync (announcements were missed).
     */
    @Test
    void aNodeTakenForDeadRegistersAgainAndResyncs() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        PgTestEvents.Recording heard = listening(b);
        b.follow("s");
        String key = b.channel().substring(PostgresInterest.CHANNEL_PREFIX.length());
        server.execute("postgres", "UPDATE " + schema + ".livestore_node SET expires_at = clock_timestamp() - interval '1 second' "
                + "WHERE node_key = '" + key + "'", "DELETE FROM " + schema + ".livestore_interest WHERE node_key = '" + key + "'");
        ok(a.append("s", 0, batch(0, "missed")));  // nobody is told: b is dead to a
        heard.await("resync"::equals, WAIT);       // b's heartbeat found out, registered again, resyncs
        assertEquals(1, rows("s"), "b's row is back");
        ok(a.append("s", 1, batch(1, "e2")));
        assertEquals("s@2", heard.await(x -> x.contains("@"), WAIT), "and b is told again");
    }

    /**
     * Y4, the follow's side: an append that holds the store's row lock and found no follower (it
     * announces nothing) — the follow waits for it, so the catch-up pull after the follow sees its event.
     */
    @Test
    void aFollowWaitsForAnAppendInFlightSoItsCatchUpSeesIt() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        ok(a.append("s", 0, batch(0, "e1")));
        try (Connection inFlight = server.dataSource("postgres").getConnection()) {
            inFlight.setAutoCommit(false);
            try (Statement st = inFlight.createStatement()) {
                // the rows of an append of event 2 up to its COMMIT, as a node that saw no follower writes them
                st.execute("UPDATE " + schema + ".livestore_store SET head = 2 WHERE store_id = 's'");
                st.execute("INSERT INTO " + schema + ".livestore_event SELECT store_id, 2, 1, name, args, client_id, "
                        + "session_id, created_at, 'e2' FROM " + schema + ".livestore_event WHERE store_id = 's' AND seq_num = 1");
            }
            java.util.concurrent.CompletableFuture<Upstream.Interest> follow =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> b.follow("s"), runnable -> new Thread(runnable).start());
            awaitTrue(() -> count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 1,
                    "the follow waits for the store's row");
            assertTrue(!follow.isDone(), "the follow returns only after the append in flight ended");
            inFlight.commit();
            opened.add(follow.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        assertEquals(2, b.pull("s", 0, 10).size(), "the catch-up pull after the follow sees the append");
    }

    /**
     * Y4, the append's side: an append waiting for the store's row lock while a follow commits reads the
     * interest after the lock was granted, not with the snapshot its statement began with — it announces.
     */
    @Test
    void anAppendThatWaitedForTheRowLockAnnouncesToAFollowCommittedMeanwhile() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        listening(b); // b's heartbeat row
        ok(a.append("s", 0, batch(0, "e1")));
        String key = b.channel().substring(PostgresInterest.CHANNEL_PREFIX.length());
        try (RawListener raw = new RawListener(b.channel());
             Connection holder = server.dataSource("postgres").getConnection()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT 1 FROM " + schema + ".livestore_store WHERE store_id = 's' FOR UPDATE");
            }
            java.util.concurrent.CompletableFuture<AppendResult> append = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> a.append("s", 1, batch(1, "e2")), runnable -> new Thread(runnable).start());
            awaitTrue(() -> count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 1,
                    "the append waits for the store's row");
            server.execute("postgres", "INSERT INTO " + schema + ".livestore_interest VALUES ('s', '" + key + "', 1)");
            holder.commit();
            ok(append.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            assertEquals(List.of("2:s"), raw.until(p -> p.equals("2:s")));
        }
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
     * the log's head. (The two tests above pin each side of the race down; this one runs it for real.)
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
        assertEquals(1, rows("s"), "the interest tables were added");
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
            assertTrue(e.getMessage().contains("there is no table livestore_node")
                    && e.getMessage().contains("there is no table livestore_interest")
                    && e.getMessage().contains("may not create them"), e.getMessage());
        } finally {
            server.execute("postgres", "DROP OWNED BY " + user, "DROP ROLE " + user);
        }
    }

    /** The DDL's first two tables, as the version before the interest tables wrote them. */
    private String twoTablesOfTheEarlierVersion() {
        String ddl = String.format(PostgresTables.DDL, schema);
        return ddl.substring(0, ddl.indexOf("CREATE TABLE IF NOT EXISTS " + schema + ".livestore_node"));
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
        return count("SELECT count(*) FROM " + schema + ".livestore_interest WHERE store_id = '" + storeId + "'");
    }

    private static long count(String sql) {
        try (Connection c = server.dataSource("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
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
