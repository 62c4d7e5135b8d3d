package io.livestore.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livestore.registry.StoreRegistry;
import io.livestore.registry.StoreSnapshot;
import jakarta.ws.rs.SeBootstrap;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** C6 and C8 over real HTTP on 127.0.0.1: Jersey on Grizzly with Weld SE, started through SeBootstrap. */
class JaxrsIntegrationTest {

    static WeldContainer weld;
    static SeBootstrap.Instance server;
    static URI base;
    static StoreRegistry registry;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("livestore.preload-timeout", "1s");
        System.setProperty(LiveQueries.HEARTBEAT, "100ms");
        // Discovery on, as in a server: Jersey's CDI integration (a bean archive) and the library's
        // extensions (META-INF/services) load by themselves; the test's own beans are listed.
        weld = new Weld().property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .addBeanClasses(HttpFixtures.Definitions.class, HttpFixtures.RefuseSecret.class,
                        HttpFixtures.IssueResource.class, HttpFixtures.FacadeResource.class, HttpFixtures.FacadeAllResource.class, HttpFixtures.PairResource.class,
                        HttpFixtures.BrokenResource.class, HttpFixtures.StuckResource.class,
                        LiveStoreProblemMapper.class)
                .initialize();
        registry = weld.select(StoreRegistry.class).get();
        SeBootstrap.Configuration config = SeBootstrap.Configuration.builder().protocol("HTTP").host("127.0.0.1")
                .port(SeBootstrap.Configuration.FREE_PORT).rootPath("/").build();
        server = SeBootstrap.start(new HttpFixtures.App(), config).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.configuration().port() + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        HttpFixtures.STUCK.countDown();
        if (server != null) {
            server.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (weld != null) {
            weld.shutdown();
        }
        System.clearProperty("livestore.preload-timeout");
        System.clearProperty(LiveQueries.HEARTBEAT);
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static int retentions(String storeId) {
        return registry.snapshot().store(storeId).map(StoreSnapshot::retentions).orElse(0);
    }

    static JsonNode problem(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.headers().map().toString());
        assertFalse(r.body().contains("\tat ") || r.body().contains(".java:"), "no stack trace: " + r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(status, body.get("status").asInt());
        return body;
    }

    @Test
    void aResourceGetsItsStoreFromThePathAndReleasesItAfterTheRequest() throws Exception {
        assertEquals(200, send("POST", "issues/issue-7?title=First").statusCode());
        HttpResponse<String> r = send("GET", "issues/issue-7");
        assertEquals(200, r.statusCode());
        assertEquals("issue-7:[First]", r.body());
        // The server ends the request scope just after the response is written: allow it that moment.
        awaitNoRetention("issue-7", "every retention of the request ended with it");
    }

    @Test
    void facadeFailuresNameTheirStoreLikeInjectedOnes() throws Exception {
        JsonNode failed = problem(send("GET", "facade/broken/b-9"), 503);
        assertEquals("LIVESTORE-0203", failed.get("messageId").asText());
        assertEquals("broken", failed.get("definition").asText());
        assertEquals("b-9", failed.get("storeId").asText());
        assertTrue(failed.get("detail").asText().contains("store 'b-9' (definition 'broken')"), failed.toString());

        JsonNode badId = problem(send("GET", "facade/issue/bad%20id"), 400);
        assertEquals("issue", badId.get("definition").asText());
        assertEquals("bad id", badId.get("storeId").asText());

        JsonNode refused = problem(send("GET", "facade/issue/secret-9"), 403);
        assertEquals("secret-9", refused.get("storeId").asText());
    }

    @Test
    void theFacadeLoadsSeveralStoresInParallelAndChecksThemAllFirst() throws Exception {
        HttpFixtures.pairBarrier = new java.util.concurrent.CyclicBarrier(2); // passed only by parallel loads
        HttpResponse<String> both = send("GET", "facade-all/pair?ids=fa-1,fa-2");
        assertEquals(200, both.statusCode(), both.body());
        assertEquals("fa-1,fa-2", both.body());

        int loadsBefore = HttpFixtures.LOADS.get();
        JsonNode refused = problem(send("GET", "facade-all/issue?ids=fa-ok,secret-fa"), 403);
        assertEquals("secret-fa", refused.get("storeId").asText());
        assertEquals(loadsBefore, HttpFixtures.LOADS.get(), "a refusal of one store loads none of them");
        assertFalse(registry.snapshot().store("fa-ok").isPresent());
    }

    @Test
    void aRejectedEventIs422NamingItsStore() throws Exception {
        JsonNode rejected = problem(send("POST", "issues/issue-422"), 422); // no title: required component
        assertEquals("LIVESTORE-0121", rejected.get("messageId").asText());
        assertEquals("issue", rejected.get("definition").asText());
        assertEquals("issue-422", rejected.get("storeId").asText());
    }

    @Test
    void aRequestRetainsEachOfItsStoresOnce() throws Exception {
        // The preload filter's retention serves the resource's injection as well.
        assertEquals("1", send("GET", "issues/issue-once/retentions").body());
        awaitNoRetention("issue-once", "released with the request");
    }

    @Test
    void twoStoresOfOneRequestLoadInParallel() throws Exception {
        HttpFixtures.pairBarrier = new java.util.concurrent.CyclicBarrier(2);
        HttpResponse<String> r = send("GET", "pair/left/right");
        assertEquals(200, r.statusCode(), "the two loads met at a barrier only parallel loads can pass: " + r.body());
        assertEquals("left+right", r.body());
    }

    @Test
    void aBadStoreIdIs400() throws Exception {
        JsonNode body = problem(send("GET", "issues/bad%20id"), 400);
        assertEquals("LIVESTORE-0101", body.get("messageId").asText());
        assertEquals("issue", body.get("definition").asText());
        assertEquals("bad id", body.get("storeId").asText());
        assertEquals("urn:livestore:problem:LIVESTORE-0101", body.get("type").asText());
    }

    @Test
    void aRefusedStoreIs403AndNothingIsLoaded() throws Exception {
        int loadsBefore = HttpFixtures.LOADS.get();
        JsonNode body = problem(send("GET", "issues/secret-1"), 403);
        assertEquals("LIVESTORE-0320", body.get("messageId").asText());
        assertEquals("secret-1", body.get("storeId").asText());
        assertEquals(loadsBefore, HttpFixtures.LOADS.get(), "refused before anything loaded");
        assertFalse(registry.snapshot().store("secret-1").isPresent());
    }

    @Test
    void aFailedLoadIs503() throws Exception {
        JsonNode body = problem(send("GET", "broken/b-1"), 503);
        assertEquals("LIVESTORE-0203", body.get("messageId").asText());
        assertEquals("broken", body.get("definition").asText());
        assertEquals("b-1", body.get("storeId").asText());
        assertTrue(body.get("detail").asText().contains("store 'b-1' (definition 'broken') is unavailable"), body.toString());
        assertFalse(body.toString().contains("disk unavailable"), "the cause stays in the server log: " + body);
    }

    @Test
    void anExceededDeadlineIs503WithRetryAfter() throws Exception {
        HttpResponse<String> r = send("GET", "stuck/s-1");
        JsonNode body = problem(r, 503);
        assertEquals("LIVESTORE-0204", body.get("messageId").asText());
        assertEquals("s-1", body.get("storeId").asText());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void aLiveQueryStreamsTheResultAndItsChangesAndReleasesOnDisconnect() throws Exception {
        assertEquals(200, send("POST", "issues/live-1?title=Before").statusCode());
        HttpRequest request = HttpRequest.newBuilder(base.resolve("issues/live-1/live"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20)).build();
        HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String first = nextData(events);
            assertTrue(first.contains("\"title\":\"Before\""), first);
            assertEquals(1, retentions("live-1"), "the stream holds its own retention");
            assertEquals(200, send("POST", "issues/live-1?title=After").statusCode(), "a commit by another request");
            String second = nextData(events);
            assertTrue(second.contains("\"title\":\"Before\"") && second.contains("\"title\":\"After\""), second);
        }
        // The client is gone: the next heartbeat fails and the stream releases its retention.
        awaitNoRetention("live-1", "the retention was not released after the client disconnected");
    }

    static void awaitNoRetention(String storeId, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (retentions(storeId) > 0) {
            assertTrue(System.nanoTime() < deadline, message + " (retentions: " + retentions(storeId) + ")");
            Thread.onSpinWait();
        }
    }

    /** The data of the next "result" event (heartbeat comments skipped). */
    static String nextData(BufferedReader events) throws Exception {
        String line;
        boolean result = false;
        while ((line = events.readLine()) != null) {
            if (line.equals("event: result")) {
                result = true;
            } else if (result && line.startsWith("data:")) {
                return line.substring(5).strip();
            }
        }
        throw new AssertionError("stream ended");
    }
}
