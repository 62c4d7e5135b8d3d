package io.livestore.sync;

import io.livestore.registry.ClusterNode;
import io.livestore.store.CommitConflictException;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link ClusterCrashTest}: one cluster node (a registry on a file data directory,
 * in cluster mode on a {@link PostgresUpstream}) whose threads commit {@code IssueCreated} events to one
 * store until the parent kills it with SIGKILL.
 *
 * <p>Arguments: {@code <dataDir> <jdbcUrl> <pgSchema> <storeId> <threads> <prefix>}. Protocol on stdout,
 * one line per message, each ending in {@code " ."} so that a line cut by the kill is recognizable:
 * <ul>
 *   <li>{@code READY <head>} once the store is loaded;</li>
 *   <li>{@code ACK <issueId>} as soon as {@code commit} of that issue returned (the issue id is the
 *       event's identity in the log: every one is unique).</li>
 * </ul>
 * A conflict the commit path gave up on is not acknowledged and not printed. Any other failure prints
 * {@code ERROR ...} and exits with status 2, which the parent reports.
 */
public final class ClusterCrashWriter {

    /** The last token of every protocol line. */
    static final String END = ".";

    private ClusterCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ClusterCrashWriter <dataDir> <jdbcUrl> <pgSchema> <storeId> <threads> <prefix>");
            System.exit(1);
        }
        PrintStream out = System.out;
        try {
            PostgresUpstream upstream = PostgresUpstream.connect(args[1], "postgres", "",
                    PostgresUpstreamOptions.builder().schema(args[2]).applicationName("crash-writer")
                            .connectTimeout(Duration.ofSeconds(2)).statementTimeout(Duration.ofSeconds(5))
                            .socketTimeout(Duration.ofSeconds(10)).build());
            ClusterNode node = new ClusterNode("crash-writer", Path.of(args[0]), upstream);
            Store<IssueSchema> store = node.store(args[3]);
            int threads = Integer.parseInt(args[4]);
            String prefix = args[5];
            out.println("READY " + store.head() + " " + END);
            out.flush();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String threadPrefix = prefix + t + "-";
                Thread w = new Thread(() -> commitForever(store, threadPrefix, out), "crash-writer-" + t);
                writers.add(w);
                w.start();
            }
            for (Thread w : writers) {
                w.join();
            }
        } catch (Throwable t) {
            fail(out, t);
        }
    }

    private static void commitForever(Store<IssueSchema> store, String prefix, PrintStream out) {
        try {
            for (long i = 0; ; i++) {
                String id = prefix + i;
                try {
                    store.commit(new IssueCreated(id, "T"));
                } catch (CommitConflictException gaveUp) {
                    continue; // not acknowledged: the caller would retry with a new commit
                }
                // PrintStream.println is synchronized: lines of different threads never interleave
                out.println("ACK " + id + " " + END);
                out.flush();
                if (out.checkError()) {
                    System.exit(3); // the parent is gone: do not write on as an orphan
                }
            }
        } catch (Throwable t) {
            fail(out, t);
        }
    }

    private static void fail(PrintStream out, Throwable t) {
        out.println("ERROR " + String.valueOf(t).replace('\n', ' ') + " " + END);
        out.flush();
        t.printStackTrace();
        System.exit(2);
    }
}
