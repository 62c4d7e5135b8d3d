package io.livestore.example.issuetracker.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The example's LiveStore 0.4.0 client (examples/issue-tracker-client, {@code src/main.mjs}) run as a user runs
 * it, in a child Node process: its stdout (with {@code --json}, one JSON line per state of the issue) and its
 * stderr are collected, its exit code awaited.
 */
final class NodeIssueClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final List<String> command;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    /** Set once stdout has been read to its end (every line is in {@link #lines}). */
    private volatile boolean stdoutDone;

    private NodeIssueClient(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        reader(process.getInputStream(), lines::add, () -> stdoutDone = true, "stdout");
        reader(process.getErrorStream(), line -> stderr.append(line).append('\n'), () -> { }, "stderr");
    }

    /** The client's directory, next to this module, with its packages installed (the build runs npm ci). */
    static Path directory() {
        Path dir = Path.of("..", "issue-tracker-client").toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("package.json"))) {
            throw new IllegalStateException("no issue-tracker-client next to " + Path.of("").toAbsolutePath());
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@livestore/livestore"))) {
            throw new IllegalStateException(dir + " has no node_modules: run `npm ci` there (the build does, "
                    + "unless -Dsync-client.skip=true)");
        }
        return dir;
    }

    /** Starts {@code node --experimental-websocket src/main.mjs <arguments>}, as the README says to run it. */
    static NodeIssueClient start(String... arguments) {
        List<String> command = new ArrayList<>(List.of("node", "--experimental-websocket", "src/main.mjs"));
        command.addAll(List.of(arguments));
        try {
            Process p = new ProcessBuilder(command).directory(directory().toFile()).start();
            p.getOutputStream().close(); // the client reads no input
            return new NodeIssueClient(p, command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command + " (is Node.js 20+ installed?)", e);
        }
    }

    private static void reader(InputStream in, Consumer<String> sink, Runnable atEnd, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            }
            atEnd.run();
        }, "issue-client-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** The first line of stdout from now on that is JSON and matches; fails after {@code timeout}. */
    JsonNode awaitJson(String what, Predicate<JsonNode> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                // in slices, so that a client that has exited fails the wait at once rather than at the deadline
                String line = lines.poll(Math.min(200_000_000L, Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
                if (line == null) {
                    boolean exited = stdoutDone && lines.isEmpty(); // done first: every line was queued before it was set
                    if (exited || System.nanoTime() >= deadline) {
                        throw new AssertionError("the client printed no " + what + (exited ? " and ended its output ("
                                + exitText() + ")" : " within " + timeout) + "; it printed " + seen + "\n" + report());
                    }
                    continue;
                }
                seen.add(line);
                JsonNode node = JSON.readTree(line);
                if (matches.test(node)) {
                    return node;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("the client printed a line that is not JSON: " + e.getMessage() + "\n" + report(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Its exit code; fails if it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the client did not exit within " + timeout + "\n" + report());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String exitText() throws InterruptedException {
        return process.waitFor(10, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
    }

    /** What it wrote to stderr so far. */
    String stderr() {
        return stderr.toString();
    }

    /** The command and its stderr, for failure messages. */
    String report() {
        return "command: " + command + "\nstderr:\n" + stderr;
    }

    /** Ends the process (SIGTERM: the client shuts its store down), then forcibly if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
