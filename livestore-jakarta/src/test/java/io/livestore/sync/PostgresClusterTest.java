package io.livestore.sync;

import static io.livestore.registry.ClusterNode.await;
import static io.livestore.registry.ClusterNode.replayed;
import static io.livestore.registry.ClusterNode.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.registry.ClusterNode;
import io.livestore.store.CommitConflictException;
import io.livestore.store.CommitOutcomeUnknownException;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.LogEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode on a real PostgreSQL (one server for the class): two registries in one JVM ("node A",
 * "node B") with their own data directories and their own {@link PostgresUpstream}, committing to one
 * store at once; then PostgreSQL stopped under a commit load and started again on the same port.
 */
class PostgresClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final String schema = "c" + SCHEMAS.incrementAndGet();

    @BeforeAll
    static void startPostgres() {
        server = EmbeddedPostgresServer.started();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        server.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private PostgresUpstream upstream(String name) {
        return upstream(name, Duration.ofMillis(50), Duration.ofMillis(300));
    }

    private PostgresUpstream upstream(String name, Duration minBackoff, Duration maxBackoff) {
        PostgresUpstream u = PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "",
                PostgresUpstreamOptions.builder().schema(schema).applicationName(name)
                        .connectTimeout(Duration.ofSeconds(1)).statementTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(3))
                        .reconnectMinBackoff(minBackoff).reconnectMaxBackoff(maxBackoff).build());
        opened.add(u);
        return u;
    }

    private ClusterNode node(String name) {
        return node(name, upstream(name));
    }

    private ClusterNode node(String name, PostgresUpstream upstream) {
        ClusterNode n = new ClusterNode(name, dir.resolve(name), upstream);
        opened.add(n);
        return n;
    }

    /** How many backends of {@code applicationName} PostgreSQL has (terminating them when {@code terminate}). */
    private static int backends(String applicationName, boolean terminate) throws Exception {
        try (java.sql.Connection c = server.dataSource("postgres").getConnection();
             java.sql.PreparedStatement st = c.prepareStatement("SELECT count(*) FROM (SELECT "
                     + (terminate ? "pg_terminate_backend(pid)" : "pid") + " FROM pg_stat_activity "
                     + "WHERE application_name = ?) found")) {
            st.setString(1, applicationName);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void twoNodesEightThreadsEachOneStoreEveryAcknowledgedEventOnceAndBSeesAWithoutCalls() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        PostgresUpstream reader = upstream("reader");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger gaveUp = new AtomicInteger();
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (ClusterNode n : List.of(a, b)) {
            Store<IssueSchema> store = n.store("s");
            for (int t = 0; t < 8; t++) {
                String prefix = n.name + t + "-";
                threads.add(new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 15; i++) {
                            try {
                                store.commit(new IssueCreated(prefix + i, "T"));
                                acknowledged.add(prefix + i);
                            } catch (CommitConflictException lost) {
                                gaveUp.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Throwable failure) {
                        unexpected.add(failure); // anything but a conflict fails the test, with what it was
                    }
                }));
            }
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), unexpected, "no worker failed otherwise than by a conflict");
        List<LogEvent> log = reader.pull("s", 0, 10_000);
        assertEquals(acknowledged.size(), log.size(), "every acknowledged event, nothing else (" + gaveUp + " gave up)");
        Set<String> inLog = new HashSet<>();
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).seqNum());
            String args = log.get(i).args();
            assertTrue(inLog.add(args.substring(7, args.indexOf('"', 7))), "once: " + args);
        }
        assertEquals(acknowledged, inLog);
        long head = log.size();
        await(() -> a.store("s").head() == head && b.store("s").head() == head, WAIT, "both nodes at the log's head");
        String replay = replayed(log);
        assertEquals(replay, tables(a.store("s")));
        assertEquals(replay, tables(b.store("s")));

        // Node B's subscription sees node A's commits, with no call on B: LISTEN/NOTIFY.
        Store<IssueSchema> onA = a.store("t");
        Store<IssueSchema> onB = b.store("t");
        ConcurrentHashMap<Long, Long> seenAt = new ConcurrentHashMap<>();
        onB.subscribe(Query.first(Long.class, "SELECT count(*) FROM issue"), c -> seenAt.put(c.orElse(0L), System.nanoTime()));
        int n = 100;
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
            long before = System.nanoTime();
            onA.commit(new IssueCreated("i" + i, "T"));
            long count = i + 1;
            await(() -> seenAt.containsKey(count), WAIT, "B's subscription sees commit " + count);
            latency[i] = seenAt.get(count) - before;
        }
        java.util.Arrays.sort(latency);
        System.out.printf("cluster latency node A commit -> node B subscription (PostgreSQL, %d commits): "
                + "p50 %.3f ms, p99 %.3f ms%n", n, latency[n / 2] / 1e6, latency[n * 99 / 100] / 1e6);
    }

    @Test
    void postgresStoppedUnderACommitLoadThenRestartedLosesNothingAcknowledgedAndBothNodesRecover() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<Throwable> unclear = new ArrayList<>();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (ClusterNode n : List.of(a, b)) {
            Store<IssueSchema> store = n.store("s");
            for (int t = 0; t < 2; t++) {
                String prefix = n.name + t + "-";
                writers.add(new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            store.commit(new IssueCreated(prefix + i, "T"));
                            acknowledged.add(prefix + i);
                        } catch (UpstreamUnavailableException | CommitConflictException expected) {
                            unavailable.incrementAndGet();
                        } catch (CommitOutcomeUnknownException cutOff) {
                            // Stopped while committing this one: not acknowledged, in the log once or not at all.
                            unavailable.incrementAndGet();
                        } catch (RuntimeException other) {
                            synchronized (unclear) {
                                unclear.add(other);
                            }
                        }
                    }
                }));
            }
        }
        writers.forEach(Thread::start);
        await(() -> acknowledged.size() >= 20, WAIT, "commits flow");
        server.stop();
        int before = unavailable.get();
        await(() -> unavailable.get() >= before + 4, WAIT, "commits fail clearly during the outage");
        int acknowledgedDuringOutage = acknowledged.size();
        server.start();
        await(() -> acknowledged.size() >= acknowledgedDuringOutage + 20, WAIT, "commits flow again by themselves");
        stop.set(true);
        for (Thread t : writers) {
            t.join();
        }
        assertTrue(unclear.isEmpty(), "every failure was a clear unavailable/conflict error: " + unclear);

        PostgresUpstream reader = upstream("reader");
        List<LogEvent> log = reader.pull("s", 0, 100_000);
        Set<String> inLog = new HashSet<>();
        for (LogEvent e : log) {
            String args = e.args();
            assertTrue(inLog.add(args.substring(7, args.indexOf('"', 7))), "once: " + args);
        }
        assertTrue(inLog.containsAll(acknowledged), "no acknowledged event lost");
        long head = log.size();
        await(() -> a.store("s").head() == head && b.store("s").head() == head, WAIT, "both nodes catch up");
        assertEquals(replayed(log), tables(a.store("s")));
        assertEquals(replayed(log), tables(b.store("s")));
    }

    @Test
    void aDeletedCacheFileIsRebuiltFromPostgres() throws Exception {
        ClusterNode a = node("a");
        Store<IssueSchema> s = a.store("r");
        s.commit(new IssueCreated("x", "T"));
        s.commit(new IssueCreated("y", "T"));
        Path file = a.dataDir.resolve("issue");
        a.registry.drop(ClusterNode.ISSUE, "r");
        try (var files = Files.list(file)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        assertEquals(replayed(upstream("reader").pull("r", 0, 100)), tables(a.store("r")));
        assertEquals(2, a.store("r").head());
    }

    @Test
    void theListenersBackendKilledMissesNoChangeAndASingleNodeLogIsPushedOnceWhileTwoNodesRace() throws Exception {
        // Y12 racing: two single-node directories with different histories of one store, loaded at once.
        for (String name : List.of("a", "b")) {
            try (Store<IssueSchema> local = io.livestore.store.StoreOpener.builder("issue", IssueSchema.class)
                    .storage(io.livestore.store.StoreStorage.directory(dir.resolve(name))).build().open("m")) {
                for (int i = 0; i < 3; i++) {
                    local.commit(new IssueCreated(name + i, "T"));
                }
            }
        }
        ClusterNode a = node("a");
        // node B reconnects its listener only after 2 s: a commit in that window can reach it only by the resync
        ClusterNode b = node("b", upstream("b", Duration.ofSeconds(2), Duration.ofSeconds(2)));
        var onA = a.registry.getOrLoad(ClusterNode.ISSUE, "m").toCompletableFuture();
        var onB = b.registry.getOrLoad(ClusterNode.ISSUE, "m").toCompletableFuture();
        String stateA = tables(onA.join());
        String stateB = tables(onB.join());
        PostgresUpstream reader = upstream("reader");
        List<LogEvent> log = reader.pull("m", 0, 100);
        assertEquals(3, log.size(), "one history, pushed once");
        String winner = log.get(0).args().contains("\"a0\"") ? "a" : "b";
        assertTrue(log.stream().allMatch(e -> e.args().contains("\"" + winner)), "one history only: " + log);
        assertEquals(replayed(log), stateA);
        assertEquals(stateA, stateB);

        // The LISTEN backend of node B killed, and A commits while B has no listener (its notification is
        // lost): only the resync after B's reconnect brings it (the manual clock runs no head check).
        assertEquals(1, backends("b-listen", true), "node B's LISTEN backend was killed");
        await(() -> {
            try {
                return backends("b-listen", false) == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, WAIT, "node B's LISTEN backend is gone");
        onA.join().commit(new IssueCreated("after-kill", "T"));
        assertEquals(4, reader.head("m").orElseThrow().head(), "committed");
        assertEquals(0, backends("b-listen", false), "the commit was made before node B's listener reconnected");
        assertEquals(3, onB.join().head(), "no notification reached node B");
        await(() -> onB.join().head() == 4, WAIT, "node B gets the commit made while its listener was cut");
        assertEquals(1, backends("b-listen", false), "through the reconnect's resync");
        assertEquals(tables(onA.join()), tables(onB.join()));
    }

    @Test
    void aNodeWhoseSchemaLacksAnEventRefusesCommitsNamingItAndACorruptCacheIsRebuilt() throws Exception {
        ClusterNode newer = node("newer");
        ClusterNode older = node("older");
        var v2 = io.livestore.registry.StoreDefinition.builder("issue", io.livestore.registry.IssueSchemaV2.class)
                .unusedCacheTime(io.livestore.registry.StoreDefinition.FOREVER).build();
        Store<io.livestore.registry.IssueSchemaV2> onNewer = newer.store(v2, "y");
        Store<IssueSchema> onOlder = older.store("y");
        onNewer.commit(new IssueCreated("x", "T"));
        await(() -> onOlder.head() == 1, WAIT, "the older node follows");
        String before = tables(onOlder);
        onNewer.commit(new io.livestore.registry.IssueSchemaV2.IssueArchived("x"));
        await(() -> {
            try {
                onOlder.commit(new IssueCreated("z", "T"));
                return false;
            } catch (io.livestore.store.SchemaBehindLogException refused) {
                return refused.getMessage().contains("'v2.IssueArchived'");
            }
        }, WAIT, "commits refused, naming the event");
        assertEquals(before, tables(onOlder), "reads answer the state before it");
        assertEquals(2, upstream("reader").head("y").orElseThrow().head());

        // The newer node's cache file overwritten with garbage: rebuilt from PostgreSQL.
        newer.registry.drop(v2, "y");
        Path file = io.livestore.store.StoreOpener.builder("issue", io.livestore.registry.IssueSchemaV2.class)
                .storage(io.livestore.store.StoreStorage.directory(newer.dataDir)).build().databaseFile("y").orElseThrow();
        Files.write(file, "garbage".repeat(500).getBytes());
        Store<io.livestore.registry.IssueSchemaV2> rebuilt = newer.store(v2, "y");
        assertEquals(2, rebuilt.head());
        assertEquals(replayedV2(upstream("reader2").pull("y", 0, 10)), tables(rebuilt));
    }

    private static String replayedV2(List<LogEvent> log) {
        try (Store<io.livestore.registry.IssueSchemaV2> fresh = io.livestore.store.StoreOpener
                .builder("issue", io.livestore.registry.IssueSchemaV2.class).build().open("replay")) {
            io.livestore.store.internal.LocalLog.of(fresh).apply(log);
            return tables(fresh);
        }
    }
}
