package io.livestore.sync;

import static io.livestore.registry.ClusterNode.await;
import static io.livestore.registry.ClusterNode.replayed;
import static io.livestore.registry.ClusterNode.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.registry.ClusterNode;
import io.livestore.store.CommitConflictException;
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
        PostgresUpstream u = PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "",
                PostgresUpstreamOptions.builder().schema(schema).applicationName(name)
                        .connectTimeout(Duration.ofSeconds(1)).statementTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(3))
                        .reconnectMinBackoff(Duration.ofMillis(50)).reconnectMaxBackoff(Duration.ofMillis(300)).build());
        opened.add(u);
        return u;
    }

    private ClusterNode node(String name) {
        ClusterNode n = new ClusterNode(name, dir.resolve(name), upstream(name));
        opened.add(n);
        return n;
    }

    @Test
    void twoNodesEightThreadsEachOneStoreEveryAcknowledgedEventOnceAndBSeesAWithoutCalls() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        PostgresUpstream reader = upstream("reader");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger gaveUp = new AtomicInteger();
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
                    }
                }));
            }
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
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
}
