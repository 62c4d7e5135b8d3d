package io.livestore.sync;

import static io.livestore.sync.PgTestEvents.batch;
import static io.livestore.sync.PgTestEvents.event;
import static io.livestore.sync.PgTestEvents.withArgs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PostgresUpstream} on a real PostgreSQL: tables, appends, exact args, notifications across nodes. */
class PostgresUpstreamTest {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private final List<Upstream> opened = new ArrayList<>();
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
        schema = "t" + SCHEMAS.incrementAndGet();
    }

    @AfterEach
    void closeNodes() {
        opened.forEach(Upstream::close);
        server.execute("postgres", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** Java SE's own pool of one connection, so that every append of the test runs on the same one. */
    private PostgresUpstream onOneConnection(String name, String driverSettings, Duration statementTimeout) {
        PostgresUpstream u = PostgresUpstream.connect(server.jdbcUrl("postgres") + driverSettings, "postgres", "",
                PostgresUpstreamOptions.builder().schema(schema).applicationName(name).maxPoolSize(1)
                        .statementTimeout(statementTimeout).build());
        opened.add(u);
        return u;
    }

    private PostgresUpstream node(String name) {
        PostgresUpstream u = PostgresUpstream.start(server.dataSource("postgres"),
                PostgresUpstreamOptions.builder().schema(schema).applicationName(name)
                        .reconnectMinBackoff(Duration.ofMillis(50)).reconnectMaxBackoff(Duration.ofMillis(500)).build());
        opened.add(u);
        return u;
    }

    @Test
    void postgresListensOnLoopbackOnly() throws Exception {
        server.assertLoopbackOnly();
    }

    /**
     * The usual append is one round trip ({@code OneTripAppend}): the statement timeout still bounds a wait
     * for the store's row lock held by another writer, nothing is written by the timed-out append (not even
     * later, once the lock is free), and it says "nothing written", not "outcome unknown". Also with the
     * driver settings under which pgjdbc sends the statements apart (a Sync between them, or one message
     * each), after enough appends on the one pooled connection for pgjdbc to prepare them on the server.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "?stringtype=unspecified&prepareThreshold=1", "?preferQueryMode=simple"})
    void aHeldRowLockIsBoundedByTheStatementTimeoutAndNothingIsWritten(String driverSettings) throws Exception {
        PostgresUpstream u = onOneConnection("timeout", driverSettings, Duration.ofSeconds(1));
        for (int i = 0; i < 7; i++) {
            u.append("s", i, batch(i, "e" + (i + 1)));
        }
        try (Connection holder = server.dataSource("postgres").getConnection()) {
            holder.setAutoCommit(false);
            lockRow(holder);
            long start = System.nanoTime();
            UpstreamUnavailableException e = assertThrows(UpstreamUnavailableException.class,
                    () -> u.append("s", 7, batch(7, "e8")));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 900 && waitedMillis < 1_800, "waited " + waitedMillis + " ms");
            assertFalse(e.outcomeUnknown(), "PostgreSQL answered: nothing was written — " + e.getMessage());
            assertTrue(e.getMessage().contains("'s'"), e.getMessage());
            holder.rollback();
            // an append still waiting in PostgreSQL would take the lock before this one (the queue is fair)
            lockRow(holder);
            holder.rollback();
        }
        assertEquals(7, u.head("s").orElseThrow().head(), "the timed-out append moved nothing");
        assertInstanceOf(AppendResult.Ok.class, u.append("s", 7, batch(7, "e8")), "and the store takes appends again");
        assertEquals(8, u.pull("s", 0, 100).size());
    }

    /**
     * An empty log gets its identity before its first event (for LiveStore clients, which keep the first one
     * they see): created once, the same for every node, and the first append — the one-round-trip one and the
     * full transaction alike — writes into it keeping that identity.
     */
    @Test
    void createLogFixesTheIdentityOfAnEmptyLogThatTheFirstAppendKeeps() {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        LogHead created = a.createLog("empty");
        assertEquals(0, created.head());
        assertEquals(created, b.createLog("empty"), "created once: the second call finds it");
        assertEquals(Optional.of(created), b.head("empty"));
        assertEquals(created.backendId(), assertInstanceOf(AppendResult.Ok.class, b.append("empty", 0, batch(0, "e1")))
                .head().backendId(), "the usual append keeps it");
        LogHead other = a.createLog("big");
        List<LogEvent> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.addAll(batch(i, "m" + i));
        }
        assertEquals(new LogHead(other.backendId(), 150), assertInstanceOf(AppendResult.Ok.class, a.append("big", 0, many)).head(),
                "the full transaction (over 100 events) keeps it too");
    }

    private void lockRow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT head FROM " + schema + ".livestore_store WHERE store_id = 's' FOR UPDATE")) {
            assertTrue(ps.executeQuery().next());
        }
    }

    /** More events than one round trip binds (pgjdbc's 65,535 parameters): the full transaction takes them, once. */
    @Test
    void aBatchTooLargeForOneTripIsAppendedWhole() {
        PostgresUpstream u = node("large");
        u.append("s", 0, batch(0, "e0"));
        String[] ids = new String[10_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "big" + i;
        }
        List<LogEvent> events = batch(1, ids);
        assertEquals(10_001, ((AppendResult.Ok) u.append("s", 1, events)).head().head());
        assertEquals(10_001, ((AppendResult.Ok) u.append("s", 1, events)).head().head(), "a retry is recognised");
        assertEquals(events.subList(0, 500), u.pull("s", 1, 500));
    }

    /** A pooled connection PostgreSQL ended: the append never claims "nothing written" unless it knows, and a retry settles it. */
    @Test
    void aConnectionEndedInThePoolIsNeverTakenForNothingWritten() throws Exception {
        PostgresUpstream u = onOneConnection("ended", "", Duration.ofSeconds(5));
        u.append("s", 0, batch(0, "e1"));
        server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ended'");
        try {
            assertInstanceOf(AppendResult.Ok.class, u.append("s", 1, batch(1, "e2")));
        } catch (UpstreamUnavailableException e) {
            assertTrue(e.outcomeUnknown(), "on an ended connection the outcome is unknown: " + e.getMessage());
            assertEquals(2, ((AppendResult.Ok) u.append("s", 1, batch(1, "e2"))).head().head(), "the retry settles it");
        }
        assertEquals(batch(0, "e1", "e2"), u.pull("s", 0, 10), "written once");
    }

    /** One announcement per accepted append, none for a conflict or a recognised retry. */
    @Test
    void eachAcceptedAppendIsAnnouncedOnceAndNothingElseIs() throws Exception {
        PostgresUpstream writer = node("writer");
        PostgresUpstream watcher = node("watcher");
        PgTestEvents.Recording recording = new PgTestEvents.Recording();
        watcher.follow("s");
        watcher.listen(recording);
        recording.await("resync"::equals, Duration.ofSeconds(10));
        writer.append("s", 0, batch(0, "e1"));
        assertInstanceOf(AppendResult.Ok.class, writer.append("s", 1, batch(1, "e2")));
        assertInstanceOf(AppendResult.Conflict.class, writer.append("s", 1, batch(1, "other")));
        assertInstanceOf(AppendResult.Ok.class, writer.append("s", 1, batch(1, "e2")), "a recognised retry");
        assertInstanceOf(AppendResult.Ok.class, writer.append("s", 2, batch(2, "e3")));
        // PostgreSQL delivers a channel's notifications in commit order: a stray one would come before s@3
        List<String> seen = new ArrayList<>();
        while (seen.size() < 3) {
            seen.add(recording.await(x -> !x.equals("resync"), Duration.ofSeconds(10)));
        }
        assertEquals(List.of("s@1", "s@2", "s@3"), seen);
    }

    /** A batch through the one-statement append: every event at its place, args as written, one head move. */
    @Test
    void aBatchAppendKeepsEveryEventAndItsArgsExactly() {
        PostgresUpstream u = node("batch");
        u.append("s", 0, batch(0, "e1"));
        List<LogEvent> events = List.of(withArgs(2, "e2", "{ \"b\" :1,\"a\":  [1.50, \"\\u00e9\"] }"),
                withArgs(3, "e3", "{}"), withArgs(4, "e4", "[ ]"));
        AppendResult r = u.append("s", 1, events);
        assertEquals(4, ((AppendResult.Ok) r).head().head());
        assertEquals(events, u.pull("s", 1, 10));
    }

    @Test
    void createsItsTablesOnceAndAcceptsThemOnTheNextStart() throws Exception {
        PostgresUpstream first = node("a");
        first.append("s", 0, batch(0, "e1"));
        PostgresUpstream second = node("b");
        assertEquals(1, second.head("s").orElseThrow().head(), "the second start kept the log");

        try (Connection c = server.dataSource("postgres").getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name, data_type FROM "
                     + "information_schema.columns WHERE table_schema = ? ORDER BY 1, 2")) {
            ps.setString(1, schema);
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1) + "." + rs.getString(2) + ":" + rs.getString(3));
                    assertNotEquals("jsonb", rs.getString(3), "jsonb would rewrite args: " + rs.getString(2));
                }
            }
            assertTrue(columns.contains("livestore_event.args:json"), columns.toString());
            assertTrue(columns.contains("livestore_store.backend_id:uuid"), columns.toString());
        }
    }

    @Test
    void aUserWhoMayNotCreateTablesStartsOnTablesAnOperatorMade() {
        node("operator").close();
        String user = schema + "_app";
        server.execute("postgres", "CREATE ROLE " + user + " LOGIN",
                "GRANT USAGE ON SCHEMA " + schema + " TO " + user,
                "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA " + schema + " TO " + user);
        try (PostgresUpstream app = PostgresUpstream.start(server.dataSource("postgres", user),
                PostgresUpstreamOptions.builder().schema(schema).build())) {
            assertEquals(1, assertInstanceOf(AppendResult.Ok.class, app.append("s", 0, batch(0, "e1"))).head().head());
        } finally {
            server.execute("postgres", "DROP OWNED BY " + user, "DROP ROLE " + user);
        }
    }

    /** Missing rights are no outage: not "try again later", but what was refused and its SQLSTATE. */
    @Test
    void aUserWithoutTheRightToInsertGetsAClearRefusalNotAnOutage() {
        PostgresUpstream operator = node("operator");
        operator.append("s", 0, batch(0, "e1"));
        String user = schema + "_ro";
        server.execute("postgres", "CREATE ROLE " + user + " LOGIN",
                "GRANT USAGE ON SCHEMA " + schema + " TO " + user,
                "GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA " + schema + " TO " + user);
        try (PostgresUpstream app = PostgresUpstream.start(server.dataSource("postgres", user),
                PostgresUpstreamOptions.builder().schema(schema).build())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> app.append("s", 1, batch(1, "e2")));
            assertTrue(e.getMessage().contains("appending to store 's'") && e.getMessage().contains("SQLSTATE 42501")
                    && e.getMessage().contains("not an outage"), e.getMessage());
            assertFalse(e.getMessage().contains("INSERT") || e.getMessage().contains("127.0.0.1"), e.getMessage());
            assertEquals(1, app.head("s").orElseThrow().head(), "reads still work, and nothing was written");
        } finally {
            server.execute("postgres", "DROP OWNED BY " + user, "DROP ROLE " + user);
        }
    }

    @Test
    void refusesTablesOfAnotherShapeClearly() {
        server.execute("postgres", "CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".livestore_store (store_id text PRIMARY KEY, backend_id uuid NOT NULL, head bigint NOT NULL)",
                "CREATE TABLE " + schema + ".livestore_event (store_id text, seq_num bigint, parent_seq_num bigint, name text,"
                        + " args jsonb, client_id text, session_id text, created_at timestamptz, PRIMARY KEY (store_id, seq_num))");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> node("a"));
        assertTrue(e.getMessage().contains("livestore_event.args is jsonb, expected json or text"), e.getMessage());
        assertTrue(e.getMessage().contains("livestore_event has no column event_id"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + schema + "'"), e.getMessage());
    }

    /** Tables an operator made with the right columns but without the keys the appends rely on. */
    @Test
    void refusesTablesWithoutTheirKeysOrWithNullableColumns() {
        server.execute("postgres", "CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".livestore_store (store_id text NOT NULL, backend_id uuid NOT NULL, head bigint)",
                "CREATE TABLE " + schema + ".livestore_event (store_id text NOT NULL, seq_num bigint NOT NULL,"
                        + " parent_seq_num bigint NOT NULL, name text NOT NULL, args json NOT NULL, client_id text NOT NULL,"
                        + " session_id text NOT NULL, created_at timestamptz NOT NULL, event_id text NOT NULL,"
                        + " PRIMARY KEY (store_id, seq_num), UNIQUE (event_id))",
                "CREATE UNIQUE INDEX partial_key ON " + schema + ".livestore_store (store_id) WHERE head > 0");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> node("a"));
        String m = e.getMessage();
        assertTrue(m.contains("livestore_store has no unique key (store_id)"), m);
        assertTrue(m.contains("livestore_event has no unique key (store_id, event_id)"), m);
        assertTrue(m.contains("livestore_store.head allows NULL, expected NOT NULL"), m);
        assertFalse(m.contains("(store_id, seq_num)"), "that key is there: " + m);
        assertTrue(m.contains("'" + schema + "'"), m);
    }

    /** A unique violation that is no event id used elsewhere: the tables were changed behind the log's head. */
    @Test
    void anEventBeyondTheRecordedHeadIsReportedAsAChangedLogNotAsAReusedId() {
        PostgresUpstream a = node("a");
        a.append("s", 0, batch(0, "e1"));
        server.execute("postgres", "INSERT INTO " + schema + ".livestore_event SELECT store_id, 2, 1, name, args, "
                + "client_id, session_id, created_at, 'by-hand' FROM " + schema + ".livestore_event WHERE seq_num = 1");
        IllegalStateException beyond = assertThrows(IllegalStateException.class, () -> a.append("s", 1, batch(1, "e2")));
        assertTrue(beyond.getMessage().contains("beyond its recorded head"), beyond.getMessage());
        IllegalArgumentException reused = assertThrows(IllegalArgumentException.class,
                () -> a.append("s", 1, batch(1, "by-hand")));
        assertTrue(reused.getMessage().contains("event id 'by-hand' is already in the log at seqNum 2"), reused.getMessage());
    }

    @Test
    void appendsComparesAndSetsRetriesIdempotentlyAndReads() {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        LogHead first = assertInstanceOf(AppendResult.Ok.class, a.append("s", 0, batch(0, "e1", "e2"))).head();
        assertEquals(2, first.head());
        assertEquals(36, first.backendId().length(), "a UUID");

        AppendResult.Conflict conflict = assertInstanceOf(AppendResult.Conflict.class, b.append("s", 1, batch(1, "x")));
        assertEquals(first, conflict.head());
        assertEquals(List.of(event(2, "e2")), conflict.missing(), "the missing events, in the same answer");

        assertEquals(first, assertInstanceOf(AppendResult.Ok.class, b.append("s", 0, batch(0, "e1", "e2"))).head(),
                "a retry with the same event ids is Ok and writes nothing");
        assertEquals(batch(0, "e1", "e2"), a.pull("s", 0, 100));

        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> a.append("s", 2, batch(2, "e1")));
        assertTrue(dup.getMessage().contains("store 's'") && dup.getMessage().contains("seqNum 3"), dup.getMessage());
        IllegalStateException noLog = assertThrows(IllegalStateException.class, () -> a.append("none", 4, batch(4, "x")));
        assertTrue(noLog.getMessage().contains("'none'"), noLog.getMessage());

        a.append("s", 2, batch(2, "e3"));
        assertEquals(List.of(event(2, "e2")), a.pull("s", 1, 1), "limit");
        assertEquals(List.of(), a.pull("s", 3, 10));
        assertEquals(List.of(), a.pull("none", 0, 10));
        assertEquals(Optional.empty(), a.head("none"));
        a.append("t", 0, batch(0, "f1"));
        Map<String, LogHead> heads = b.heads(List.of("s", "t", "none"));
        assertEquals(Map.of("s", new LogHead(first.backendId(), 3), "t", a.head("t").orElseThrow()), heads);
        assertNotEquals(first.backendId(), heads.get("t").backendId(), "each log its own backendId");
        assertEquals(Map.of(), b.heads(List.of()));
    }

    /** Y3: the connection lost during COMMIT (a deferred trigger ends its own backend there). */
    @Test
    void anAppendWhoseCommitWasCutOffSaysSoAndIsSafeToRetry() {
        PostgresUpstream a = node("a");
        a.append("s", 0, batch(0, "e1"));
        server.execute("postgres",
                "CREATE FUNCTION " + schema + ".cut() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$",
                "CREATE CONSTRAINT TRIGGER cut AFTER INSERT ON " + schema + ".livestore_event "
                        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " + schema + ".cut()");
        UpstreamUnavailableException cut = assertThrows(UpstreamUnavailableException.class,
                () -> a.append("s", 1, batch(1, "e2")));
        assertTrue(cut.getMessage().contains("store 's'") && cut.getMessage().contains("unknown")
                && cut.getMessage().contains("retrying with the same events is safe"), cut.getMessage());
        server.execute("postgres", "DROP TRIGGER cut ON " + schema + ".livestore_event");

        assertEquals(2, assertInstanceOf(AppendResult.Ok.class, a.append("s", 1, batch(1, "e2"))).head().head());
        assertEquals(2, assertInstanceOf(AppendResult.Ok.class, a.append("s", 1, batch(1, "e2"))).head().head(),
                "and once more: the same ids are recognised");
        assertEquals(batch(0, "e1", "e2"), a.pull("s", 0, 10), "written once");
    }

    @Test
    void argsAreKeptByteForByte() throws Exception {
        PostgresUpstream a = node("a");
        List<String> args = List.of(
                "{ \"b\" :  1 ,\n\t\"a\":[ ] }",
                "{\"a\":1,\"a\":2}",
                "{\"n\":123456789012345678901234567890.000000000000000000001,\"e\":1E+400,\"z\":-0.0}",
                "{\"s\":\"caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude00\",\"esc\":\"\\u00e9\\u0000\\ud83d\\ude00\"}",
                "  \"just a string\"  ",
                "[1,2,3]");
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            events.add(withArgs(i + 1, "e" + i, args.get(i)));
        }
        a.append("s", 0, events);
        assertEquals(events, a.pull("s", 0, 100), "pulled exactly as written");
        try (Connection c = server.dataSource("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT args::text, octet_length(args::text) FROM " + schema
                     + ".livestore_event ORDER BY seq_num")) {
            for (String expected : args) {
                assertTrue(rs.next());
                assertEquals(expected, rs.getString(1));
                assertEquals(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, rs.getInt(2));
            }
        }
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
                () -> a.append("s", 6, List.of(withArgs(7, "ok", "{}"), withArgs(8, "bad", "{not json"))));
        assertTrue(notJson.getMessage().contains("seqNum 8") && notJson.getMessage().contains("not valid JSON"),
                notJson.getMessage());
        assertEquals(6, a.head("s").orElseThrow().head(), "nothing of the refused append written");
    }

    @Test
    void anotherNodeIsNotifiedAndResyncsWhenItStartsListening() throws Exception {
        PostgresUpstream a = node("a");
        PostgresUpstream b = node("b");
        PgTestEvents.Recording heard = new PgTestEvents.Recording();
        b.follow("store.with:colons-1");
        try (Upstream.Registration r = b.listen(heard)) {
            heard.await("resync"::equals, Duration.ofSeconds(5));
            a.append("store.with:colons-1", 0, batch(0, "e1", "e2"));
            assertEquals("store.with:colons-1@2", heard.await(s -> s.contains("@"), Duration.ofSeconds(5)));
        }
        a.append("store.with:colons-1", 2, batch(2, "e3"));
        Thread.sleep(300); // a closed registration hears nothing more (bounded wait for a negative)
        assertFalse(heard.seen.stream().anyMatch(s -> s.endsWith("@3")), heard.seen.toString());
    }

    @Test
    void aTerminatedListenBackendIsReplacedAndEveryListenerResyncs() throws Exception {
        PostgresUpstream a = node("writer");
        PostgresUpstream b = node("reader");
        PgTestEvents.Recording heard = new PgTestEvents.Recording();
        b.follow("s");
        b.listen(heard);
        heard.await("resync"::equals, Duration.ofSeconds(5));
        int killed = 0;
        try (Connection c = server.dataSource("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     + "WHERE application_name = 'reader-listen'")) {
            while (rs.next()) {
                assertTrue(rs.getBoolean(1));
                killed++;
            }
        }
        assertEquals(1, killed, "one LISTEN connection per upstream");
        heard.await("resync"::equals, Duration.ofSeconds(10));
        a.append("s", 0, batch(0, "e1"));
        assertEquals("s@1", heard.await(s -> s.contains("@"), Duration.ofSeconds(5)), "notifications arrive again");
    }

    /** An interrupt of the LISTEN thread (a server shutting a pool down, a stray cancel) does not end listening. */
    @Test
    void anInterruptedListenThreadKeepsListeningAfterAReconnect() throws Exception {
        PostgresUpstream a = node("writer");
        List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        PostgresUpstream b = PostgresUpstream.start(server.dataSource("postgres"), PostgresUpstreamOptions.builder()
                .schema(schema).applicationName("interrupted")
                .reconnectMinBackoff(Duration.ofMillis(200)).reconnectMaxBackoff(Duration.ofMillis(500))
                .threadFactory(r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    made.add(t);
                    return t;
                }).build());
        opened.add(b);
        PgTestEvents.Recording heard = new PgTestEvents.Recording();
        b.follow("s");
        b.listen(heard);
        heard.await("resync"::equals, Duration.ofSeconds(5));
        assertEquals(1, made.size());
        made.get(0).interrupt(); // set while it polls: it is met in the reconnect's backoff wait
        server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = 'interrupted-listen'");
        heard.await("resync"::equals, Duration.ofSeconds(10));
        made.get(0).interrupt(); // and once more, after the reconnect
        a.append("s", 0, batch(0, "e1"));
        assertEquals("s@1", heard.await(s -> s.contains("@"), Duration.ofSeconds(5)), "still listening");
        assertTrue(made.get(0).isAlive());
    }

    @Test
    void concurrentWritersOnTwoNodesMakeOneDenseLog() throws Exception {
        writeConcurrentlyAndCheckTheLog(node("a"), node("b"), 4, 15);
    }

    /** A role whose transactions default to REPEATABLE READ: the append runs READ COMMITTED all the same. */
    @Test
    void contendedAppendsSucceedUnderARoleThatDefaultsToRepeatableRead() throws Exception {
        node("operator").close();
        String user = schema + "_rr";
        server.execute("postgres", "CREATE ROLE " + user + " LOGIN",
                "ALTER ROLE " + user + " SET default_transaction_isolation = 'repeatable read'",
                "GRANT USAGE ON SCHEMA " + schema + " TO " + user,
                "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA " + schema + " TO " + user);
        PostgresUpstreamOptions options = PostgresUpstreamOptions.builder().schema(schema).build();
        try (PostgresUpstream a = PostgresUpstream.start(server.dataSource("postgres", user), options);
             PostgresUpstream b = PostgresUpstream.start(server.dataSource("postgres", user), options)) {
            writeConcurrentlyAndCheckTheLog(a, b, 8, 10);
        } finally {
            server.execute("postgres", "DROP OWNED BY " + user, "DROP ROLE " + user);
        }
    }

    /** {@code threads} writers, alternately on {@code a} and {@code b}, all starting at head 0 of a new store. */
    private void writeConcurrentlyAndCheckTheLog(Upstream a, Upstream b, int threads, int perThread) throws Exception {
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            Upstream via = t % 2 == 0 ? a : b;
            int id = t;
            workers.add(new Thread(() -> {
                try {
                    go.await();
                    long head = 0; // every writer's first attempt creates the log: contended ON CONFLICT
                    for (int i = 0; i < perThread; i++) {
                        String eventId = "w" + id + "-" + i;
                        while (true) {
                            AppendResult r = via.append("s", head, List.of(event(head + 1, eventId)));
                            head = r.head().head();
                            if (r instanceof AppendResult.Ok) {
                                break;
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        workers.forEach(Thread::start);
        go.countDown();
        for (Thread w : workers) {
            w.join(60_000);
        }
        assertEquals(List.of(), failures);
        List<LogEvent> log = a.pull("s", 0, 1000);
        assertEquals(threads * perThread, log.size());
        assertEquals(threads * perThread, log.stream().map(LogEvent::eventId).distinct().count(), "each event once");
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).seqNum(), "dense");
        }
    }
}
