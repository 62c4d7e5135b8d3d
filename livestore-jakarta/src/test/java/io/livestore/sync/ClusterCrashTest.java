package io.livestore.sync;

import static io.livestore.registry.ClusterNode.replayed;
import static io.livestore.registry.ClusterNode.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.livestore.registry.ClusterNode;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Store;
import io.livestore.store.spi.LogEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Y10 on a real PostgreSQL: a committing child JVM ({@link ClusterCrashWriter}: one cluster node on a
 * file data directory, several threads committing to one store, printing each acknowledged event as soon
 * as {@code commit} returned) is killed with SIGKILL under load. Then
 * <ol>
 *   <li>every acknowledged event is in PostgreSQL exactly once, the log is dense, and at most one event
 *       per writer thread (the commit in flight at the kill) is there without its acknowledgement;</li>
 *   <li>a node restarted on the same data directory is caught up to the log: its head is the upstream
 *       head and its tables equal a fresh replay of the log; it commits on at the next seqNum.</li>
 * </ol>
 * Two kill cycles on the same data directory, so the second child starts from the recovered cache.
 */
class ClusterCrashTest {

    private static final int CYCLES = 2;
    private static final int THREADS = 4;
    private static final int ACKS_BEFORE_KILL = 60;
    private static final int MAX_KILL_DELAY_MS = 150;
    private static final long ACKS_TIMEOUT_S = 30;
    private static final long DEATH_TIMEOUT_S = 10;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static EmbeddedPostgresServer server;

    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startPostgres() {
        server = EmbeddedPostgresServer.started();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        server.close();
    }

    @AfterEach
    void killChildrenAndCloseAll() throws Exception {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(DEATH_TIMEOUT_S, TimeUnit.SECONDS);
        }
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aNodeKilledWithSigkillUnderACommitLoadLosesNoAcknowledgedEventAndItsRestartCatchesUp() throws Exception {
        long seed = new Random().nextLong();
        Random rnd = new Random(seed);
        Path dataDir = Files.createDirectories(tmp.resolve("node"));
        String schema = "crash";
        String storeId = "k";
        Set<String> acknowledged = new java.util.HashSet<>();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            String ctx = "cycle " + cycle + ", seed " + seed;
            ChildRun run = startChild(dataDir, schema, storeId, "c" + cycle + "t", cycle);
            if (!run.acks.await(ACKS_TIMEOUT_S, TimeUnit.SECONDS)) {
                fail(ctx + ": the child did not acknowledge " + ACKS_BEFORE_KILL + " commits" + run.diagnostics());
            }
            int delay = rnd.nextInt(MAX_KILL_DELAY_MS + 1);
            if (run.process.waitFor(delay, TimeUnit.MILLISECONDS)) {
                fail(ctx + ": the child exited by itself with status " + run.process.exitValue() + run.diagnostics());
            }
            // SIGKILL on Linux; through the handle, so that our end of the stdout pipe stays open and the
            // ACK lines printed just before the kill are still read
            run.process.toHandle().destroyForcibly();
            assertTrue(run.process.waitFor(DEATH_TIMEOUT_S, TimeUnit.SECONDS), ctx + ": the child died");
            if (LINUX) {
                assertEquals(128 + 9, run.process.exitValue(), ctx + ": died of SIGKILL" + run.diagnostics());
            }
            run.reader.join(10_000);
            assertFalse(run.reader.isAlive(), ctx + ": the child's stdout reached its end");
            assertTrue(run.errors.isEmpty(), ctx + ": the child's output: " + run.errors + run.diagnostics());
            acknowledged.addAll(run.acked);

            // ---- PostgreSQL: every acknowledged event exactly once, a dense log, only in-flight extras
            PostgresUpstream reader = upstream("reader-" + cycle, schema);
            List<LogEvent> log = reader.pull(storeId, 0, 1_000_000);
            Map<String, Integer> times = new HashMap<>();
            for (int i = 0; i < log.size(); i++) {
                assertEquals(i + 1, log.get(i).seqNum(), ctx + ": the log is dense");
                String args = log.get(i).args();
                times.merge(args.substring(7, args.indexOf('"', 7)), 1, Integer::sum);
            }
            for (String id : acknowledged) {
                assertEquals(1, times.getOrDefault(id, 0), ctx + ": acknowledged event " + id + " in PostgreSQL once");
            }
            times.forEach((id, n) -> assertEquals(1, n, ctx + ": event " + id + " in PostgreSQL once"));
            int unacknowledged = times.size() - acknowledged.size();
            assertTrue(unacknowledged >= 0 && unacknowledged <= THREADS * cycle, ctx + ": at most one commit per "
                    + "writer thread was in flight at each kill, but " + unacknowledged + " events are in the log unacknowledged");

            // ---- restart on the same data directory: the cache is caught up to the log
            long upstreamHead = reader.head(storeId).orElseThrow().head();
            assertEquals(log.size(), upstreamHead, ctx + ": the upstream head is the log's length");
            try (ClusterNode restarted = new ClusterNode("restarted-" + cycle, dataDir, upstream("restarted-" + cycle, schema))) {
                Store<IssueSchema> store = restarted.store(storeId);
                ClusterNode.await(() -> store.head() == upstreamHead, WAIT, ctx + ": the restarted node at the upstream head");
                assertEquals(replayed(log), tables(store), ctx + ": the restarted node's tables equal a fresh replay");
                String next = "after-restart-" + cycle;
                assertEquals(upstreamHead + 1, store.commit(new IssueCreated(next, "T")), ctx + ": commits on at the next seqNum");
                acknowledged.add(next);
            }
            System.out.printf(Locale.ROOT, "cluster crash %s: killed %d ms after %d acks, %d acknowledged in all, "
                    + "%d in the log unacknowledged (in flight at a kill), head %d%n", ctx, delay, ACKS_BEFORE_KILL,
                    acknowledged.size(), unacknowledged, upstreamHead);
        }
    }

    private PostgresUpstream upstream(String name, String schema) {
        PostgresUpstream u = PostgresUpstream.connect(server.jdbcUrl("postgres"), "postgres", "",
                PostgresUpstreamOptions.builder().schema(schema).applicationName(name)
                        .connectTimeout(Duration.ofSeconds(2)).statementTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)).build());
        opened.add(u);
        return u;
    }

    private ChildRun startChild(Path dataDir, String schema, String storeId, String prefix, int cycle) throws IOException {
        Path nativeDir = Files.createDirectories(tmp.resolve("native"));
        Path stderr = tmp.resolve("child-" + cycle + ".err");
        String java = ProcessHandle.current().info().command().filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path");
        if (classpath == null || classpath.isBlank()) {
            classpath = System.getProperty("java.class.path");
        }
        List<String> cmd = List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                // sqlite-jdbc extracts its native library at every start; a killed JVM cannot delete the copy
                "-Dorg.sqlite.tmpdir=" + nativeDir, "-Dslf4j.internal.verbosity=ERROR",
                "-cp", classpath, ClusterCrashWriter.class.getName(),
                dataDir.toString(), server.jdbcUrl("postgres"), schema, storeId, Integer.toString(THREADS), prefix);
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        children.add(p);
        return new ChildRun(p, stderr);
    }

    /** A child process and the thread reading its protocol lines. */
    private static final class ChildRun implements Runnable {
        final Process process;
        final Path stderr;
        final CountDownLatch acks = new CountDownLatch(ACKS_BEFORE_KILL);
        /** Written by the reader thread, read by the test after {@code reader.join}. */
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Thread reader;
        private volatile String last = "";

        ChildRun(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.reader = new Thread(this, "cluster-crash-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void run() {
            String cut = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    last = line;
                    if (cut != null) {
                        errors.add("incomplete line before the end of the output: '" + cut + "'");
                        cut = null;
                    }
                    if (!line.endsWith(" " + ClusterCrashWriter.END)) {
                        cut = line; // only the last line may be cut by the kill; an ACK lost so was never seen
                        continue;
                    }
                    String[] f = line.split(" ");
                    switch (f[0]) {
                        case "READY" -> { }
                        case "ACK" -> {
                            if (!acked.add(f[1])) {
                                errors.add("acknowledged twice: " + f[1]);
                            }
                            acks.countDown();
                        }
                        default -> errors.add("unexpected line: '" + line + "'");
                    }
                }
            } catch (IOException | RuntimeException e) {
                errors.add("reading the child's output failed: " + e);
            } finally {
                while (acks.getCount() > 0) {
                    acks.countDown();
                }
            }
        }

        String diagnostics() {
            String err;
            try {
                err = Files.exists(stderr) ? Files.readString(stderr) : "";
            } catch (IOException e) {
                err = e.toString();
            }
            return "\n--- last stdout line: " + last + "\n--- stderr:\n"
                    + (err.length() > 4000 ? "..." + err.substring(err.length() - 4000) : err);
        }
    }
}
