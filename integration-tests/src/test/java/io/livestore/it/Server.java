package io.livestore.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The deployed test application as a client sees it: HTTP to 127.0.0.1 only, whatever address the
 * container reports (Payara Micro reports its first non-loopback interface).
 */
final class Server {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // SSE streams and the servers' HTTP/1.1 connectors
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final URI base;

    Server(URL deployment) {
        this.base = URI.create("http://127.0.0.1:" + deployment.getPort() + deployment.getPath()
                + (deployment.getPath().endsWith("/") ? "" : "/") + "api/");
    }

    /** The WAR Maven built from src/main: the library and the application, as a user would ship them. */
    static WebArchive war() {
        File war = new File("target/livestore-it.war");
        if (!war.isFile()) {
            throw new IllegalStateException(war.getAbsolutePath() + " is missing: run through Maven (mvn verify)");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, war);
    }

    /** Where the server keeps its stores (passed to it as livestore.data-dir). */
    static Path dataDir() {
        return Path.of(System.getProperty("it.data.dir"));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> get(String path, String header, String value) {
        return send(HttpRequest.newBuilder(uri(path)).header(header, value).GET());
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A 200 answer's JSON; anything else fails the test with the status and body. */
    JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            fail(response.request().method() + " " + response.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return parse(response.body());
    }

    /** The registry's entry for a store, or null when it is not loaded. */
    JsonNode storeEntry(String definition, String storeId) {
        for (JsonNode store : json(get("registry")).get("stores")) {
            if (store.get("definition").asText().equals(definition) && store.get("storeId").asText().equals(storeId)) {
                return store;
            }
        }
        return null;
    }

    /** Polls the registry until {@code condition} holds for the store's entry (null = not loaded), for 30 s. */
    JsonNode awaitStoreEntry(String definition, String storeId, Predicate<JsonNode> condition, String what)
            throws InterruptedException {
        return awaitStoreEntry(definition, storeId, condition, what, Duration.ofSeconds(30));
    }

    /** Polls the registry until {@code condition} holds for the store's entry (null = not loaded). */
    JsonNode awaitStoreEntry(String definition, String storeId, Predicate<JsonNode> condition, String what,
                             Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode entry = storeEntry(definition, storeId);
        while (!condition.test(entry)) {
            if (System.nanoTime() > deadline) {
                fail("store " + definition + "/" + storeId + " never became " + what + "; last entry: " + entry);
            }
            Thread.sleep(20);
            entry = storeEntry(definition, storeId);
        }
        return entry;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    static HttpClient client() {
        return HTTP;
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
