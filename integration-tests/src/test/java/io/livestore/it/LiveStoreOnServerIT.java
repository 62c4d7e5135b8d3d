package io.livestore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library in a WAR on a real server, tested from outside over HTTP on 127.0.0.1: the same class runs
 * on WildFly and on Payara Micro (one failsafe execution each).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LiveStoreOnServerIT {

    /**
     * What one request holds on a store it injects: one retention, the preload filter's, which the
     * resource's injection then uses.
     */
    private static final int REQUEST_RETENTIONS = 1;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Server.war();
    }

    @ArquillianResource
    URL deployment;

    Server server;

    @BeforeEach
    void connect() {
        server = new Server(deployment);
    }

    @Test
    void definitionsProducedByBeansServeAStorePerPathTemplateId() {
        JsonNode added = server.json(server.post("notebooks/nb-1/notes?noteId=a&text=hello"));
        assertEquals(1, added.get("head").asLong());
        server.json(server.post("notebooks/nb-1/notes?noteId=b&text=world"));
        server.json(server.post("notebooks/nb-2/notes?noteId=a&text=other"));

        JsonNode one = server.json(server.get("notebooks/nb-1"));
        assertEquals("nb-1", one.get("storeId").asText());
        assertEquals(2, one.get("head").asLong());
        assertEquals("hello", one.get("notes").get(0).get("text").asText());
        assertEquals("world", one.get("notes").get(1).get("text").asText());
        JsonNode two = server.json(server.get("notebooks/nb-2"));
        assertEquals(1, two.get("notes").size(), "stores are separate");
        assertTrue(Files.isRegularFile(StoreFiles.of("notebook", "nb-1")), "one SQLite file per store");
        assertTrue(Files.isRegularFile(StoreFiles.of("notebook", "nb-2")));
    }

    @Test
    void oneRequestGetsSeveralStoresOfSeveralDefinitionsRetainedForIt() throws InterruptedException {
        JsonNode during = server.json(server.get("pairs/pair-n/pair-j"));
        assertEquals("ACTIVE", during.get("notebook").get("state").asText());
        assertEquals(REQUEST_RETENTIONS, during.get("notebook").get("retentions").asInt());
        assertEquals("ACTIVE", during.get("journal").get("state").asText());
        assertEquals(REQUEST_RETENTIONS, during.get("journal").get("retentions").asInt());

        // The request scope may end just after the response is sent.
        server.awaitStoreEntry("notebook", "pair-n", e -> e != null && e.get("retentions").asInt() == 0, "released");
        server.awaitStoreEntry("journal", "pair-j", e -> e != null && e.get("retentions").asInt() == 0, "released");
        assertTrue(Files.isRegularFile(StoreFiles.of("journal", "pair-j")));
    }

    @Test
    void aStoreIsRetainedWhileARequestUsesItAndReleasedAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> held = server.getAsync("notebooks/held-1/hold?gate=held-1");
        try {
            // Retained from the moment the filter asks for it; loaded (ACTIVE) once the method waits at the gate.
            JsonNode during = server.awaitStoreEntry("notebook", "held-1",
                    e -> e != null && e.get("state").asText().equals("ACTIVE"), "loaded for the request");
            assertEquals(REQUEST_RETENTIONS, during.get("retentions").asInt(), "retained by the request");
            assertFalse(held.isDone(), "the request is still in progress");
        } finally {
            server.post("registry/gates/held-1"); // never leave a server thread waiting at the gate
        }
        JsonNode answer = server.json(held.get(30, TimeUnit.SECONDS));
        assertTrue(answer.get("opened").asBoolean());

        JsonNode after = server.awaitStoreEntry("notebook", "held-1",
                e -> e != null && e.get("retentions").asInt() == 0, "released after the request");
        assertEquals("INACTIVE", after.get("state").asText(), "kept loaded for its unusedCacheTime");
    }

    @Test
    void anUnusedStoreIsDisposedAfterItsUnusedCacheTimeAndItsFileReleased() throws InterruptedException {
        server.json(server.post("notebooks/idle-1/notes?noteId=a&text=soon+idle"));
        Path file = StoreFiles.of("notebook", "idle-1");
        assertTrue(StoreFiles.heldByAnotherProcess(file), "the server has the store open");
        // The request's retention ends with its request scope, which a server may destroy after the
        // response has gone out: the idle time counts from that release.
        server.awaitStoreEntry("notebook", "idle-1", e -> e != null && e.get("retentions").asInt() == 0, "released");

        server.json(server.post("registry/clock?by=PT29S"));
        assertNotNull(server.storeEntry("notebook", "idle-1"), "not disposed before 30 s unused");

        server.json(server.post("registry/clock?by=PT2S"));
        // Disposal is due now; the close itself runs on the registry's executor. Far less patience than
        // the 30 s: a registry on the real clock (the application's options ignored) must not pass.
        server.awaitStoreEntry("notebook", "idle-1", e -> e == null, "disposed once unused for 30 s", Duration.ofSeconds(5));
        assertFalse(StoreFiles.heldByAnotherProcess(file), "the file is closed with the store");

        JsonNode again = server.json(server.get("notebooks/idle-1"));
        assertEquals("soon idle", again.get("notes").get(0).get("text").asText(), "loaded again from its file");
    }

    @Test
    void theApplicationsAccessPoliciesAndIdResolversApply() {
        HttpResponse<String> refused = server.get("notebooks/secret-1");
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", mediaType(refused));
        assertEquals("secret-1", Server.parse(refused.body()).get("storeId").asText());
        assertEquals(null, server.storeEntry("notebook", "secret-1"), "a refused store is not loaded");

        JsonNode mine = server.json(server.get("my-journal", "X-User", "ada"));
        assertEquals("journal-ada", mine.get("storeId").asText());
        JsonNode theirs = server.json(server.get("my-journal", "X-User", "bob"));
        assertEquals("journal-bob", theirs.get("storeId").asText());
    }

    @Test
    void badInputIsAProblemDocumentNamingWhatWasWrong() {
        HttpResponse<String> badId = server.get("notebooks/bad%20id");
        assertEquals(400, badId.statusCode());
        assertEquals("application/problem+json", mediaType(badId));
        JsonNode problem = Server.parse(badId.body());
        assertEquals(400, problem.get("status").asInt());
        assertEquals("notebook", problem.get("definition").asText());
        assertEquals("bad id", problem.get("storeId").asText());
        assertTrue(problem.get("messageId").asText().startsWith("LIVESTORE-"), problem.toString());
        assertTrue(problem.get("type").asText().startsWith("urn:livestore:problem:"), problem.toString());
        assertFalse(badId.body().contains("at io.livestore"), "no stack trace: " + badId.body());

        HttpResponse<String> invalidEvent = server.post("notebooks/nb-invalid/notes?noteId=a");
        assertEquals(422, invalidEvent.statusCode(), invalidEvent.body());
        assertEquals("application/problem+json", mediaType(invalidEvent));
        JsonNode invalid = Server.parse(invalidEvent.body());
        assertEquals("notebook", invalid.get("definition").asText());
        assertEquals("nb-invalid", invalid.get("storeId").asText());
        assertTrue(invalid.get("detail").asText().contains("v1.NoteAdded"), invalid.toString());
        assertTrue(invalid.get("detail").asText().contains("text"), invalid.toString());
        assertEquals(0, server.json(server.get("notebooks/nb-invalid")).get("head").asLong(), "nothing written");
    }

    @Test
    void aLiveQueryStreamsTheResultAndItsChangesMadeByOtherRequests() throws Exception {
        HttpResponse<InputStream> stream = Server.client().send(
                HttpRequest.newBuilder(server.uri("notebooks/live-1/live"))
                        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            // Heartbeats keep a stream alive, so a missing update would block a plain read forever.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertEquals("[]", nextResult(events), "the result now: empty");

                server.json(server.post("notebooks/live-1/notes?noteId=a&text=pushed"));

                JsonNode update = Server.parse(nextResult(events));
                assertEquals("pushed", update.get(0).get("text").asText());
            });
        }
    }

    /** The data of the next {@code result} event, skipping heartbeats and other lines. */
    private static String nextResult(BufferedReader events) throws Exception {
        String event = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = events.readLine()) != null) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            } else if (line.isEmpty()) {
                if ("result".equals(event)) {
                    return data.toString();
                }
                event = null;
                data.setLength(0);
            }
        }
        throw new AssertionError("the stream ended before a result event");
    }

    private static String mediaType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
    }
}
