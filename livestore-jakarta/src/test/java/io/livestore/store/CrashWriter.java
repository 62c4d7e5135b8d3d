package io.livestore.store;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link CrashRecoveryTest}: opens one store with the default durability
 * ({@link Durability#PROCESS_CRASH}) and commits IssueSchema events until it is killed.
 *
 * <p>Arguments: {@code <dataDir> <storeId> <seed>}. The writer first warms up on an in-memory store (so
 * that its JVM start overlaps the parent's check of the previous cycle), prints {@code STARTED} and waits
 * for a line {@code GO} on stdin before it touches the data directory. Protocol on stdout, one line per
 * message, each flushed before the writer goes on:
 * <ul>
 *   <li>{@code STARTED} after the warm-up, before waiting for {@code GO};</li>
 *   <li>{@code READY <head>} once the store is open;</li>
 *   <li>{@code TRY <firstSeq> <count> <token>...} just before a commit, one {@link #token token} per
 *       event, so the parent knows the exact content of the commit that may be in flight when it kills;</li>
 *   <li>{@code ACK <head>} after {@code commit} returned {@code head} (the commit of the preceding TRY
 *       is acknowledged: seqs {@code firstSeq..head}).</li>
 * </ul>
 * Every line ends with the marker {@code " ."} so that a line cut short by the kill is recognizable.
 * The writer never stops by itself while its parent listens; on an unexpected failure it prints
 * {@code ERROR ...} and exits with status 2, which the parent reports as a test failure. When the parent
 * is gone (stdin closed without {@code GO}, or stdout broken) it exits with status 3 rather than
 * writing on as an orphan.
 */
public final class CrashWriter {

    /** The last token of every protocol line. */
    static final String END = ".";

    private CrashWriter() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: CrashWriter <dataDir> <storeId> <seed>");
            System.exit(1);
        }
        Path dir = Path.of(args[0]);
        String storeId = args[1];
        long seed = Long.parseLong(args[2]);
        PrintStream out = System.out;
        try {
            StoreOpener<IssueSchema> opener = StoreOpener.builder("issue", IssueSchema.class)
                    .storage(StoreStorage.directory(dir))
                    .build();
            warmUp(opener.schema());
            out.println("STARTED " + END);
            out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"GO".equals(go)) {
                System.err.println("CrashWriter: expected GO on stdin, got " + go + "; parent gone, exiting");
                System.exit(3);
            }
            run(opener, storeId, seed, out);
        } catch (Throwable t) {
            out.println("ERROR " + String.valueOf(t).replace('\n', ' ') + " " + END);
            out.flush();
            t.printStackTrace();
            System.exit(2);
        }
    }

    /** Loads and links the classes of the commit path (JSON, SQLite, materializers) on a throwaway store. */
    private static void warmUp(CompiledSchema<IssueSchema> schema) {
        StoreOpener<IssueSchema> memory = StoreOpener.builder("issue", schema).storage(StoreStorage.inMemory()).build();
        try (Store<IssueSchema> s = memory.open("warm-up")) {
            for (int i = 0; i < 20; i++) {
                String id = "w" + i;
                s.commit(new IssueCreated(id, "t"), new IssueRenamed(id, "t2"), new CommentAdded(id, "u", null),
                        new CommentAdded(id, "u", "c"), new IssueClosed(id));
                s.commit(new CommentAdded(id, "u", "c"));
            }
            s.query(Query.of(String.class, "SELECT id FROM issue ORDER BY id"));
            s.eventsSince(0);
        }
    }

    private static void run(StoreOpener<IssueSchema> opener, String storeId, long seed, PrintStream out) {
        Random rnd = new Random(seed);
        // Never closed: the process is meant to die with the store open.
        Store<IssueSchema> store = opener.open(storeId);
        List<String> issues = new ArrayList<>(store.query(Query.of(String.class, "SELECT id FROM issue ORDER BY id")));
        long head = store.head();
        out.println("READY " + head + " " + END);
        out.flush();
        StringBuilder line = new StringBuilder(1024);
        List<Event> batch = new ArrayList<>(20);
        while (true) {
            int n = rnd.nextInt(2) == 0 ? 1 : 2 + rnd.nextInt(19); // single events and batches of 2..20
            batch.clear();
            line.setLength(0);
            line.append("TRY ").append(head + 1).append(' ').append(n);
            for (int i = 0; i < n; i++) {
                long seq = head + 1 + i;
                Event e = nextEvent(rnd, seq, issues);
                batch.add(e);
                line.append(' ').append(token(e));
            }
            line.append(' ').append(END);
            out.println(line);
            out.flush();
            if (out.checkError()) {
                System.exit(3); // stdout is broken: the parent is gone
            }
            long newHead = store.commit(batch);
            if (newHead != head + n) {
                throw new IllegalStateException("commit of " + n + " event(s) after head " + head
                        + " returned head " + newHead);
            }
            head = newHead;
            out.println("ACK " + head + " " + END);
            out.flush();
        }
    }

    private static Event nextEvent(Random rnd, long seq, List<String> issues) {
        int kind = rnd.nextInt(10);
        if (issues.isEmpty() || kind < 3) {
            // Unique across cycles: the seq this event will get is never reused by a durable event.
            String id = "i" + seq;
            issues.add(id);
            return new IssueCreated(id, "t" + rnd.nextInt(1_000_000));
        }
        String id = issues.get(rnd.nextInt(issues.size()));
        if (kind < 5) {
            return new IssueRenamed(id, "t" + rnd.nextInt(1_000_000));
        }
        if (kind < 9) {
            String text = rnd.nextInt(5) == 0 ? null : "c" + rnd.nextInt(1_000_000);
            return new CommentAdded(id, "u" + rnd.nextInt(10), text);
        }
        return new IssueClosed(id);
    }

    /**
     * A space-free text holding every field of an IssueSchema event, used on both sides of the pipe:
     * the writer prints it, the test computes it from the decoded log and compares.
     */
    static String token(Event e) {
        if (e instanceof IssueCreated c) {
            return "C:" + check(c.id()) + ":" + check(c.title());
        }
        if (e instanceof IssueRenamed r) {
            return "R:" + check(r.id()) + ":" + check(r.title());
        }
        if (e instanceof CommentAdded m) {
            return "M:" + check(m.issueId()) + ":" + check(m.author()) + ":" + (m.text() == null ? "~" : check(m.text()));
        }
        if (e instanceof IssueClosed x) {
            return "X:" + check(x.id());
        }
        return "?" + String.valueOf(e).replace(' ', '_');
    }

    /** Fields go into a ':'-separated, space-separated line: show rather than hide a value that would break it. */
    private static String check(String s) {
        if (s == null) {
            return "<null>";
        }
        if (s.isEmpty() || s.equals("~") || s.indexOf(' ') >= 0 || s.indexOf(':') >= 0 || s.indexOf('\n') >= 0) {
            return "<" + s.replace(' ', '_').replace(':', '_').replace('\n', '_') + ">";
        }
        return s;
    }
}
