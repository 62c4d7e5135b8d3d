package io.livestore.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real LiveStore 0.4.0 client (the {@code sync-client} driver: {@code @livestore/adapter-node} with
 * {@code makeWsSync}) in a child Node process, driven over stdin/stdout (sync-client/README.md, "Commands").
 * Answers are matched by id: the driver runs commands concurrently. The suite's copy of the library's test
 * helper of the same name (livestore-jakarta's tests are not a dependency of the suite).
 */
final class NodeSyncClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(60);

    private final Process process;
    private final Writer stdin;
    private final Path log;
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();

    private NodeSyncClient(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "node-client-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The sync-client directory (installed by the build with {@code .ci/install-sync-client}): the build passes it
     * as {@code sync-client.dir}; otherwise the first {@code sync-client} above the working directory.
     */
    static Path clientDirectory() {
        String configured = System.getProperty("sync-client.dir");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured).toAbsolutePath().normalize());
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                candidates.add(dir.resolve("sync-client"));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                if (!Files.isDirectory(candidate.resolve("node_modules/@livestore/livestore"))) {
                    throw new IllegalStateException(candidate + " has no node_modules: run .ci/install-sync-client (the build does)");
                }
                return candidate;
            }
        }
        throw new IllegalStateException("no sync-client directory at " + candidates);
    }

    /**
     * Starts a client of {@code storeId} syncing with {@code url}, its data in {@code dataDir} (a restart on the
     * same directory resumes from its cursor), and waits until its store is created.
     */
    static NodeSyncClient start(String url, String storeId, Path dataDir, String clientId, String sessionId,
                                String payloadJson) throws IOException {
        Path dir = clientDirectory();
        List<String> command = new ArrayList<>(List.of("node", "--experimental-websocket", "src/sync-client.mjs",
                "--url", url, "--store-id", storeId, "--data-dir", dataDir.toString(), "--client-id", clientId,
                "--session-id", sessionId));
        if (payloadJson != null) {
            command.add("--payload");
            command.add(payloadJson);
        }
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + sessionId + ".stderr.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        NodeSyncClient client = new NodeSyncClient(p, log);
        try {
            client.ready.get(READY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("the LiveStore client did not get ready: " + e + "\n" + client.stderr(), e);
        }
        return client;
    }

    private void readAnswers() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                if (n.has("ready")) {
                    ready.complete(n);
                } else if (n.has("id")) {
                    CompletableFuture<JsonNode> f = answers.remove(n.path("id").asInt());
                    if (f != null) {
                        f.complete(n);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        IllegalStateException ended = new IllegalStateException("the LiveStore client process ended");
        ready.completeExceptionally(ended);
        answers.values().forEach(f -> f.completeExceptionally(ended));
    }

    /** Sends a command and waits for its answer; throws when it says {@code ok:false}. */
    JsonNode call(ObjectNode command, Duration timeout) {
        JsonNode answer = callRaw(command, timeout);
        if (!answer.path("ok").asBoolean()) {
            throw new AssertionError("client command " + command + " failed: " + answer + "\n" + stderr());
        }
        return answer;
    }

    /** Sends a command and waits for its answer, whatever it says. */
    JsonNode callRaw(ObjectNode command, Duration timeout) {
        int id = ids.incrementAndGet();
        command.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        try {
            synchronized (stdin) {
                stdin.write(command.toString());
                stdin.write('\n');
                stdin.flush();
            }
            return answer.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("client command " + command + " got no answer: " + e + "\n" + stderr(), e);
        }
    }

    /** Commits events given as (name, args JSON) pairs in one transaction; returns when they are in the local store. */
    JsonNode commit(String... nameArgs) {
        ObjectNode c = JSON.createObjectNode().put("cmd", "commit");
        var events = c.putArray("events");
        for (int i = 0; i < nameArgs.length; i += 2) {
            try {
                events.addObject().put("name", nameArgs[i]).set("args", JSON.readTree(nameArgs[i + 1]));
            } catch (IOException e) {
                throw new IllegalArgumentException(nameArgs[i + 1], e);
            }
        }
        return call(c, Duration.ofSeconds(10));
    }

    JsonNode rows(String table) {
        return call(JSON.createObjectNode().put("cmd", "rows").put("table", table), Duration.ofSeconds(10)).path("rows");
    }

    JsonNode waitRows(String table, int count, Duration timeout) {
        return call(JSON.createObjectNode().put("cmd", "waitRows").put("table", table).put("count", count)
                .put("timeoutMs", timeout.toMillis()), timeout).path("rows");
    }

    void waitSynced(Duration timeout) {
        call(JSON.createObjectNode().put("cmd", "waitSynced").put("timeoutMs", timeout.toMillis()), timeout);
    }

    JsonNode events() {
        return call(JSON.createObjectNode().put("cmd", "events"), Duration.ofSeconds(10));
    }

    /** What the Node process wrote to stderr (its log), for failure messages. */
    String stderr() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                callRaw(JSON.createObjectNode().put("cmd", "shutdown"), Duration.ofSeconds(10));
            } catch (AssertionError | RuntimeException ignored) {
                // it may be gone already
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
