package io.livestore.example.issuetracker.embedded;

import io.livestore.cdi.LiveStoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the issue tracker embedded until Ctrl+C:
 * {@code mvn -q -Prun -pl examples/issue-tracker -am -DskipTests package} from the repository root.
 *
 * <p>System properties: {@value #PORT} (default 8080) and the library's {@code livestore.data-dir}
 * (the Maven profile sets {@code examples/issue-tracker/target/data}).
 */
public final class IssueTrackerMain {

    /** The HTTP port. */
    public static final String PORT = "issuetracker.port";

    /**
     * Weld's and Jersey's start-up messages, down to warnings, and Jersey's notice that it has no JAXB
     * for WADL, which nobody asks for. Fields, as JUL holds loggers only weakly.
     */
    private static final Map<Logger, Level> QUIETER = Map.of(
            Logger.getLogger("org.jboss.weld"), Level.WARNING,
            Logger.getLogger("org.glassfish"), Level.WARNING,
            Logger.getLogger("org.glassfish.jersey.server.wadl"), Level.SEVERE);

    private IssueTrackerMain() {
    }

    /** Starts the server, says where once it answers, and serves until the JVM is asked to stop. */
    public static void main(String[] args) throws InterruptedException {
        QUIETER.forEach(Logger::setLevel);
        int port = Integer.getInteger(PORT, 8080);
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(port);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.err.println("Is another server using port " + port + "? Choose another with -D" + PORT + "=<port>.");
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "issue-tracker-stop"));

        awaitFirstAnswer(server.uri());
        Path data = Path.of(LiveStoreConfig.value(LiveStoreConfig.DATA_DIR).orElse("livestore-data")).toAbsolutePath();
        System.out.println("Issue tracker running at " + server.uri() + "  (stores in " + data + "; Ctrl+C stops it)");
        stopped.await();
    }

    /** Says the URL only once the server really answers it. */
    private static void awaitFirstAnswer(URI uri) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (Exception e) {
                last = e;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // poll again, up to the deadline
        }
        throw new IllegalStateException(uri + " did not answer within 30 s", last);
    }
}
