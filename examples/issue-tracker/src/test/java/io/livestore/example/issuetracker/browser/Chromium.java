package io.livestore.example.issuetracker.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A headless Chromium for tests: started with a fresh profile under a work directory in
 * {@code target/}, listening for the DevTools protocol on 127.0.0.1 only, and killed, with all its
 * processes, by {@link #close()}.
 *
 * <p>The browser is {@code -DCHROMIUM=...} or {@code $CHROMIUM}, else {@code /usr/bin/chromium}, else
 * {@code chromium} on the PATH; {@code .ci/install-chromium} installs it on Debian.
 */
public final class Chromium implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Headless, on 127.0.0.1, on a port it picks itself (written to {@code DevToolsActivePort}). The
     * rest keeps the browser from contacting anything but the pages it is sent to: no background
     * networking, updates, sync, metrics, safe-browsing lists or QUIC, and no host name resolves
     * (the tests use 127.0.0.1 addresses, which need no resolving).
     */
    private static final List<String> FLAGS = List.of(
            "--headless", "--no-sandbox", "--disable-gpu",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "--no-first-run", "--no-default-browser-check", "--disable-default-apps", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
            "--metrics-recording-only", "--disable-breakpad",
            "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");

    private final Process process;
    private final Path log;
    private final URI devToolsUri;

    private Chromium(Process process, Path log, URI devToolsUri) {
        this.process = process;
        this.log = log;
        this.devToolsUri = devToolsUri;
    }

    /**
     * Starts Chromium with its profile, home and temporary files in {@code workDir} (created; must be
     * new or empty), and waits until its DevTools endpoint is announced.
     */
    public static Chromium launch(Path workDir) {
        Path binary = find();
        Path profile = workDir.resolve("profile");
        Path log = workDir.resolve("chromium.log");
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("about:blank");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Whatever Chromium writes outside its profile (NSS database, caches, crash files) stays in target/ too.
        Map<String, String> env = builder.environment();
        env.put("HOME", workDir.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", workDir.resolve("home/.config").toString());
        env.put("XDG_CACHE_HOME", workDir.resolve("home/.cache").toString());
        // Relative to the working directory: Chromium puts a Unix socket there, and an absolute path deep
        // inside a checkout can exceed the 107 characters a socket path may have.
        env.put("TMPDIR", "tmp");
        Process process;
        try {
            for (String dir : List.of("profile", "home", "tmp")) {
                Files.createDirectories(workDir.resolve(dir));
            }
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        try {
            return new Chromium(process, log, awaitDevToolsUri(process, profile.resolve("DevToolsActivePort"), log));
        } catch (RuntimeException | Error e) {
            kill(process);
            throw e;
        }
    }

    /** The browser's DevTools WebSocket, {@code ws://127.0.0.1:<port>/devtools/browser/<id>}. */
    public URI devToolsUri() {
        return devToolsUri;
    }

    /** The end of the browser's own output, for failure messages. */
    public String logTail() {
        return tail(log);
    }

    /** Kills the browser and every process it started. */
    @Override
    public void close() {
        kill(process);
    }

    /** Where the browser is, or a failure that says how to get one. */
    static Path find() {
        Optional<String> configured = Stream.of(System.getProperty("CHROMIUM"), System.getenv("CHROMIUM"))
                .filter(v -> v != null && !v.isBlank()).findFirst();
        if (configured.isPresent()) {
            Path path = Path.of(configured.get());
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("CHROMIUM=" + path + " is not an executable file");
            }
            return path;
        }
        Path debian = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "chromium"))) {
                return Path.of(dir, "chromium");
            }
        }
        throw new IllegalStateException("Chromium is not installed: the browser test needs /usr/bin/chromium, "
                + "chromium on the PATH, or -DCHROMIUM=<path>. Run .ci/install-chromium (Debian, as root) to "
                + "install it, or skip this test with -Dbrowser.skip=true.");
    }

    /**
     * Chromium writes its port and browser path to {@code DevToolsActivePort} in the profile once it
     * listens: wait for both lines, or for the browser to die.
     */
    private static URI awaitDevToolsUri(Process process, Path activePort, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + " before it listened:\n" + tail(log));
            }
            List<String> lines = readLines(activePort);
            if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25)); // poll the file, up to the deadline
        }
        throw new IllegalStateException("Chromium did not announce its DevTools port in " + activePort + " within "
                + START_TIMEOUT + ":\n" + tail(log));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of(); // being written: read again
        }
    }

    private static void kill(Process process) {
        // The browser's helpers (renderers, zygote, utility processes) are its descendants: take the list
        // while they are still attached to it.
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        family.forEach(ProcessHandle::destroyForcibly);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }
}
