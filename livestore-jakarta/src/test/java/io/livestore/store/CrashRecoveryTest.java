package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S1/S3 under SIGKILL: a child JVM ({@link CrashWriter}) commits single events and batches of 2-20 into
 * one store with the default durability ({@link Durability#PROCESS_CRASH}: WAL, {@code synchronous=NORMAL})
 * and is killed with SIGKILL at a random moment; the test then reopens the store and checks that
 * <ol>
 *   <li>every acknowledged commit is in the log with exactly the content that was committed, and the
 *       log from earlier cycles is unchanged;</li>
 *   <li>the commit in flight at the kill is in the log completely or not at all, and nothing else is,
 *       so the log has no gaps: seqs 1..head;</li>
 *   <li>the tables equal a fresh replay of the whole log into an in-memory store.</li>
 * </ol>
 * All cycles share one data directory, so the store grows and each cycle recovers from the previous
 * kill. {@code -Dlivestore.crash.cycles=N} sets the cycles (default 20); {@code -Dlivestore.crash.seed=S}
 * repeats a reported seed (the same random choices: writer seeds, kill delays, replay batching; the
 * exact kill moment still depends on timing).
 */
class CrashRecoveryTest {

    private static final int CYCLES = Integer.getInteger("livestore.crash.cycles", 20);
    private static final String STORE_ID = "crash-store";
    private static final String DEFINITION = "issue";
    /** Acknowledged commits to wait for before the random kill delay starts. */
    private static final int MIN_ACKS_BEFORE_KILL = 3;
    /** Writer JVMs started ahead of their cycle; they warm up and then wait for GO. */
    private static final int WRITERS_AHEAD = 2;
    private static final int MIN_KILL_DELAY_MS = 10;
    private static final int MAX_KILL_DELAY_MS = 150;
    private static final long START_TIMEOUT_S = 30;
    private static final long READY_TIMEOUT_S = 30;
    private static final long ACKS_TIMEOUT_S = 30;
    private static final long DEATH_TIMEOUT_S = 10;
    private static final long READER_TIMEOUT_MS = 10_000;
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

    @TempDir
    Path tmp;

    /** Writers started and not yet seen dead, so that none outlives a failed test. */
    private final List<Writer> writers = new ArrayList<>();
    private final List<Store<?>> openStores = new ArrayList<>();

    @AfterEach
    void killWritersAndCloseStores() {
        for (Writer w : writers) {
            w.destroy();
        }
        for (Store<?> s : openStores) {
            s.close();
        }
    }

    @Test
    void acknowledgedCommitsSurviveSigkillAndTablesEqualAReplayOfTheLog() throws Exception {
        long seed = Long.getLong("livestore.crash.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        Path nativeDir = Files.createDirectories(tmp.resolve("native"));
        StoreOpener<IssueSchema> opener = StoreOpener.builder(DEFINITION, IssueSchema.class)
                .storage(StoreStorage.directory(dataDir))
                .build();
        StoreOpener<IssueSchema> replayOpener = StoreOpener.builder(DEFINITION, opener.schema())
                .storage(StoreStorage.inMemory())
                .build();

        // The verified content of the whole log so far, one token per event (index = seq - 1).
        List<String> known = new ArrayList<>();
        long[] headAfterCycle = new long[CYCLES];
        int inFlightAtKill = 0;
        int inFlightDurable = 0;
        long started = System.nanoTime();

        // Writers are started ahead (JVM start and warm-up take longer than a cycle's checks) and wait for GO.
        ArrayDeque<Writer> warm = new ArrayDeque<>();
        for (int c = 1; c <= Math.min(WRITERS_AHEAD, CYCLES); c++) {
            warm.add(startWriter(c, dataDir, nativeDir, logDir, rnd.nextLong()));
        }
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            long cycleStart = System.nanoTime();
            String ctx = "cycle " + cycle + "/" + CYCLES + ", seed " + seed + " (rerun with -Dlivestore.crash.seed="
                    + seed + ")";
            Writer w = warm.removeFirst();
            int killDelay = MIN_KILL_DELAY_MS + rnd.nextInt(MAX_KILL_DELAY_MS - MIN_KILL_DELAY_MS + 1);

            // ---- let the (already warm) writer open the store, then kill it at a random moment
            await(w.out.started, START_TIMEOUT_S, ctx, "print STARTED", w);
            long goAt = System.nanoTime();
            long startWaitMs = TimeUnit.NANOSECONDS.toMillis(goAt - cycleStart);
            w.go();
            await(w.out.ready, READY_TIMEOUT_S, ctx, "print READY", w);
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - goAt);
            await(w.out.acks, ACKS_TIMEOUT_S, ctx, "acknowledge " + MIN_ACKS_BEFORE_KILL + " commits", w);
            // The random delay before the kill; waitFor doubles as a check that the writer is still running.
            if (w.process.waitFor(killDelay, TimeUnit.MILLISECONDS)) {
                fail(ctx + ": the writer exited by itself with status " + w.process.exitValue()
                        + " before the kill" + w.diagnostics());
            }
            // SIGKILL on Linux. Through the ProcessHandle: Process.destroyForcibly() would also close our end of
            // the stdout pipe and lose the TRY/ACK lines the writer printed just before it died.
            w.process.toHandle().destroyForcibly();
            if (!w.process.waitFor(DEATH_TIMEOUT_S, TimeUnit.SECONDS)) {
                fail(ctx + ": the writer did not die within " + DEATH_TIMEOUT_S + " s of SIGKILL");
            }
            if (LINUX) {
                assertEquals(128 + 9, w.process.exitValue(), ctx + ": the writer should have died of SIGKILL"
                        + " (exit 137)" + w.diagnostics());
            }
            w.reader.join(READER_TIMEOUT_MS);
            assertFalse(w.reader.isAlive(), ctx + ": the writer's stdout did not reach EOF within "
                    + READER_TIMEOUT_MS + " ms after it died");
            writers.remove(w);

            // Another writer starts its JVM and warms up while this cycle is checked.
            if (cycle + WRITERS_AHEAD <= CYCLES) {
                warm.add(startWriter(cycle + WRITERS_AHEAD, dataDir, nativeDir, logDir, rnd.nextLong()));
            }

            long checkStart = System.nanoTime();

            // ---- what the writer said
            ChildOutput out = w.out;
            long prevHead = known.size();
            assertTrue(out.errors.isEmpty(), ctx + ": the writer's output broke the protocol: " + out.errors
                    + w.diagnostics());
            assertEquals(prevHead, out.readyHead, ctx + ": the writer opened the store at head " + out.readyHead
                    + " but the test closed it at head " + prevHead + w.diagnostics());
            List<String> expected = new ArrayList<>(known);
            Try pending = null;
            long lastAck = prevHead;
            for (Try t : out.tries) {
                assertEquals(lastAck + 1, t.first, ctx + ": the writer's commit after head " + lastAck
                        + " announced first seq " + t.first);
                if (t.ackedHead < 0) {
                    pending = t; // only the last TRY can lack its ACK (ChildOutput checks)
                    continue;
                }
                assertEquals(t.first + t.tokens.size() - 1, t.ackedHead, ctx + ": the commit of " + t.tokens.size()
                        + " event(s) at seq " + t.first + " was acknowledged with head " + t.ackedHead);
                expected.addAll(t.tokens);
                lastAck = t.ackedHead;
            }
            int ackedCommits = out.tries.size() - (pending == null ? 0 : 1);
            assertTrue(ackedCommits >= MIN_ACKS_BEFORE_KILL, ctx + ": only " + ackedCommits + " acknowledged commits");

            // ---- reopen; the log holds every acknowledged event, the in-flight commit whole or not at all
            Store<IssueSchema> store = opener.open(STORE_ID);
            openStores.add(store);
            String killCtx = ctx + ", killed " + killDelay + " ms after " + MIN_ACKS_BEFORE_KILL
                    + " acks; head before the cycle " + prevHead + ", last ACK " + lastAck
                    + (pending == null ? ", no commit in flight"
                    : ", in flight: " + pending.tokens.size() + " event(s) at seq " + pending.first);
            assertEquals(BootReport.Outcome.OPENED, store.bootReport().outcome(),
                    killCtx + ": reopening after the kill should just open the store, not " + store.bootReport());
            long head = store.head();
            assertTrue(head >= lastAck, killCtx + ": LOST ACKNOWLEDGED COMMITS: the reopened head is " + head
                    + ", below the last acknowledged seq " + lastAck);
            if (pending != null) {
                inFlightAtKill++;
                long pendingEnd = pending.first + pending.tokens.size() - 1;
                assertTrue(head == lastAck || head == pendingEnd, killCtx + ": the commit in flight is neither "
                        + "absent nor complete (S1): the reopened head is " + head + ", expected " + lastAck
                        + " or " + pendingEnd);
                if (head == pendingEnd) {
                    inFlightDurable++;
                    expected.addAll(pending.tokens);
                }
            } else {
                assertEquals(lastAck, head, killCtx + ": the log has events nobody committed: the reopened head "
                        + head + " is past the last acknowledged seq " + lastAck + " and no commit was in flight");
            }
            long readStart = System.nanoTime();
            List<CommittedEvent> log = store.eventsSince(0);
            long readMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readStart);
            assertEquals(head, log.size(), killCtx + ": head is " + head + " but the log holds " + log.size()
                    + " events (gap or duplicate)");
            for (int i = 0; i < log.size(); i++) {
                CommittedEvent e = log.get(i);
                long seq = i + 1L;
                if (e.seq() != seq) {
                    fail(killCtx + ": gap in the log: position " + seq + " holds seq " + e.seq());
                }
                String actual = CrashWriter.token(e.event());
                String wanted = expected.get(i);
                if (!actual.equals(wanted)) {
                    String which = seq <= prevHead ? "an event verified in an earlier cycle changed"
                            : seq <= lastAck ? "an acknowledged event differs" : "the in-flight commit differs";
                    fail(killCtx + ": " + which + " at seq " + seq + ": the log has " + actual + " (" + e.name()
                            + "), the writer committed " + wanted);
                }
            }

            // ---- the tables equal a fresh replay of the log
            long replayStart = System.nanoTime();
            long replayMs;
            try (Store<IssueSchema> replay = replayOpener.open(STORE_ID)) {
                List<Event> events = new ArrayList<>(log.size());
                for (CommittedEvent e : log) {
                    events.add(e.event());
                }
                // Batching must not matter: replay in random chunks, unrelated to the writer's commits.
                int from = 0;
                while (from < events.size()) {
                    int to = Math.min(events.size(), from + 1 + rnd.nextInt(500));
                    replay.commit(events.subList(from, to));
                    from = to;
                }
                assertEquals(head, replay.head(), killCtx + ": the replay ended at another head");
                replayMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - replayStart);
                assertSameRows(killCtx, "issue", store, replay, Query.of(IssueSchema.IssueRow.class,
                        "SELECT id, title, closed, version FROM issue ORDER BY id"));
                assertSameRows(killCtx, "comment", store, replay, Query.of(CommentRow.class,
                        "SELECT seq, issue_id, author, text FROM comment ORDER BY seq"));
                assertSameRows(killCtx, "counter", store, replay, Query.of(CounterRow.class,
                        "SELECT name, value FROM counter ORDER BY name"));
            }
            store.close();
            openStores.remove(store);

            // ---- the store grows
            known = expected;
            headAfterCycle[cycle - 1] = head;
            if (cycle > 1) {
                assertTrue(head > headAfterCycle[cycle - 2], killCtx + ": the store did not grow: head "
                        + headAfterCycle[cycle - 2] + " after the previous cycle, " + head + " now");
            }
            long now = System.nanoTime();
            System.out.printf(Locale.ROOT, "crash cycle %d/%d: waited %d ms for STARTED, READY %d ms after GO, killed "
                            + "%d ms after %d acks, %d acked commits, head %d -> %d, in flight: %s, checks %d ms (log read %d ms, "
                            + "replay %d ms), cycle %d ms%n", cycle, CYCLES, startWaitMs, readyMs, killDelay,
                    MIN_ACKS_BEFORE_KILL, ackedCommits, prevHead, head,
                    pending == null ? "none" : (head == lastAck ? "lost (never acked)" : "durable"),
                    TimeUnit.NANOSECONDS.toMillis(now - checkStart), readMs, replayMs,
                    TimeUnit.NANOSECONDS.toMillis(now - cycleStart));
        }
        System.out.printf(Locale.ROOT, "crash test: %d cycles, seed %d, %d events in the log, a commit in flight "
                        + "at %d kills (%d of them durable), %d ms%n", CYCLES, seed, known.size(), inFlightAtKill,
                inFlightDurable, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** A row of the {@code comment} table. */
    record CommentRow(long seq, String issueId, String author, String text) {
    }

    /** A row of the {@code counter} table. */
    record CounterRow(String name, long value) {
    }

    private static <R> void assertSameRows(String ctx, String table, Store<IssueSchema> recovered,
                                           Store<IssueSchema> replayed, Query<List<R>> query) {
        List<R> actual = recovered.query(query);
        List<R> wanted = replayed.query(query);
        int n = Math.min(actual.size(), wanted.size());
        for (int i = 0; i < n; i++) {
            if (!actual.get(i).equals(wanted.get(i))) {
                fail(ctx + ": table " + table + " differs from a replay of the log at row " + i + ": recovered "
                        + actual.get(i) + ", replay " + wanted.get(i));
            }
        }
        if (actual.size() != wanted.size()) {
            fail(ctx + ": table " + table + " has " + actual.size() + " rows after recovery but " + wanted.size()
                    + " in a replay of the log; first extra row: "
                    + (actual.size() > n ? "recovered " + actual.get(n) : "replay " + wanted.get(n)));
        }
    }

    private static void await(CountDownLatch latch, long timeoutSeconds, String ctx, String what, Writer w)
            throws InterruptedException {
        if (!latch.await(timeoutSeconds, TimeUnit.SECONDS)) {
            fail(ctx + ": the writer did not " + what + " within " + timeoutSeconds + " s (alive="
                    + w.process.isAlive() + ")" + w.diagnostics());
        }
        // The reader also opens the latches at EOF, so that a writer that died is reported at once.
        if (w.out.eof) {
            boolean dead = w.process.waitFor(DEATH_TIMEOUT_S, TimeUnit.SECONDS);
            fail(ctx + ": the writer's output ended before it could " + what
                    + (dead ? " (exit status " + w.process.exitValue() + ")" : "") + w.diagnostics());
        }
    }

    private Writer startWriter(int cycle, Path dataDir, Path nativeDir, Path logDir, long writerSeed)
            throws IOException {
        Path stderr = logDir.resolve("writer-" + cycle + ".err");
        Process p = new ProcessBuilder(writerCommand(dataDir, nativeDir, writerSeed))
                .redirectError(stderr.toFile())
                .start();
        Writer w = new Writer(cycle, p, stderr);
        writers.add(w);
        return w;
    }

    private static List<String> writerCommand(Path dataDir, Path nativeDir, long writerSeed) {
        String java = ProcessHandle.current().info().command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path");
        if (classpath == null || classpath.isBlank()) {
            classpath = System.getProperty("java.class.path");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx64m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        // sqlite-jdbc extracts its native library at every start and a killed JVM cannot delete the copy:
        // keep those copies in the test's temporary directory, which JUnit removes.
        cmd.add("-Dorg.sqlite.tmpdir=" + nativeDir);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(CrashWriter.class.getName());
        cmd.add(dataDir.toString());
        cmd.add(STORE_ID);
        cmd.add(Long.toString(writerSeed));
        return cmd;
    }

    /** One writer process, the thread reading its stdout and the file holding its stderr. */
    private static final class Writer {
        final int cycle;
        final Process process;
        final Path stderr;
        final ChildOutput out;
        final Thread reader;

        Writer(int cycle, Process process, Path stderr) {
            this.cycle = cycle;
            this.process = process;
            this.stderr = stderr;
            this.out = new ChildOutput(process);
            this.reader = new Thread(out, "crash-writer-" + cycle + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Lets the writer open the store. */
        void go() throws IOException {
            OutputStream stdin = process.getOutputStream();
            stdin.write("GO\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            stdin.close();
        }

        void destroy() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(DEATH_TIMEOUT_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        String diagnostics() {
            StringBuilder sb = new StringBuilder();
            sb.append("\n--- last stdout lines of writer ").append(cycle).append(":\n");
            synchronized (out.lastLines) {
                out.lastLines.forEach(l -> sb.append(l).append('\n'));
            }
            sb.append("--- stderr of writer ").append(cycle).append(":\n");
            try {
                String err = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
                sb.append(err.length() > 4000 ? "..." + err.substring(err.length() - 4000) : err);
            } catch (IOException e) {
                sb.append("(unreadable: ").append(e).append(')');
            }
            return sb.toString();
        }
    }

    /** One announced commit: its first seq, its event tokens and, once acknowledged, the head it returned. */
    private static final class Try {
        final long first;
        final List<String> tokens;
        long ackedHead = -1;

        Try(long first, List<String> tokens) {
            this.first = first;
            this.tokens = tokens;
        }
    }

    /**
     * Reads a writer's stdout until EOF. The lists are handed to the test thread by {@code Thread.join};
     * the latches signal progress. A line without the end marker is accepted only as the very last line
     * (the kill may cut it) and is then ignored: an ACK lost that way only makes its commit optional, a
     * cut TRY belongs to a commit that had not started.
     */
    private static final class ChildOutput implements Runnable {
        final Process process;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch acks = new CountDownLatch(MIN_ACKS_BEFORE_KILL);
        final List<Try> tries = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final ArrayDeque<String> lastLines = new ArrayDeque<>();
        volatile long readyHead = -1;
        volatile boolean eof;
        private String cutLine;

        ChildOutput(Process process) {
            this.process = process;
        }

        @Override
        public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                while ((line = r.readLine()) != null) {
                    remember(line);
                    if (cutLine != null) {
                        errors.add("incomplete line before the end of the output: '" + cutLine + "'");
                        cutLine = null;
                    }
                    if (!line.endsWith(" " + CrashWriter.END)) {
                        cutLine = line;
                        continue;
                    }
                    handle(line.substring(0, line.length() - CrashWriter.END.length() - 1));
                }
            } catch (IOException | RuntimeException e) {
                errors.add("reading the writer's output failed: " + e);
            } finally {
                eof = true;
                started.countDown();
                ready.countDown();
                while (acks.getCount() > 0) {
                    acks.countDown();
                }
            }
        }

        private void remember(String line) {
            synchronized (lastLines) {
                lastLines.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
                if (lastLines.size() > 8) {
                    lastLines.removeFirst();
                }
            }
        }

        private void handle(String line) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "STARTED" -> started.countDown();
                case "READY" -> {
                    readyHead = Long.parseLong(f[1]);
                    ready.countDown();
                }
                case "TRY" -> {
                    if (!tries.isEmpty() && tries.get(tries.size() - 1).ackedHead < 0) {
                        errors.add("TRY at seq " + f[1] + " while the previous commit was not acknowledged");
                    }
                    int count = Integer.parseInt(f[2]);
                    if (f.length != 3 + count) {
                        errors.add("TRY announces " + count + " events but lists " + (f.length - 3));
                    }
                    tries.add(new Try(Long.parseLong(f[1]), List.of(f).subList(3, f.length)));
                }
                case "ACK" -> {
                    if (tries.isEmpty() || tries.get(tries.size() - 1).ackedHead >= 0) {
                        errors.add("ACK " + f[1] + " without a preceding TRY");
                        return;
                    }
                    tries.get(tries.size() - 1).ackedHead = Long.parseLong(f[1]);
                    acks.countDown();
                }
                default -> errors.add("unexpected line from the writer: '" + line + "'");
            }
        }
    }
}
