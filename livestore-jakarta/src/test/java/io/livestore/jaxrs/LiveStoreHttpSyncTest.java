package io.livestore.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.jaxrs.internal.sync.SyncHandshake;
import io.livestore.jaxrs.internal.sync.SyncRefusedException;
import io.livestore.jaxrs.internal.sync.SyncSession;
import io.livestore.jaxrs.internal.sync.SyncSessions;
import io.livestore.jaxrs.internal.sync.SyncTransport;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.SeBootstrap;
import jakarta.ws.rs.core.Application;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP sync transport as an application enables it (a subclass with its own path), on Jersey and Weld SE,
 * with a stand-in engine that answers a request with a Chunk and then its Exit from another thread.
 */
class LiveStoreHttpSyncTest {

    /** The application's enabling subclass. */
    @Path("/livestore-http/{definition}")
    public static class Sync extends LiveStoreHttpSync {
    }

    /** The stand-in engine: refuses definition "refused"; answers each Request later, on another thread. */
    @ApplicationScoped
    @Alternative
    @Priority(1000)
    public static class Engine implements SyncSessions {
        static final List<SyncHandshake> HANDSHAKES = new CopyOnWriteArrayList<>();
        static volatile CountDownLatch closed = new CountDownLatch(1);

        @Override
        public SyncSession open(SyncHandshake handshake, SyncTransport transport) {
            HANDSHAKES.add(handshake);
            if ("refused".equals(handshake.definition())) {
                throw new SyncRefusedException(403, "store '" + handshake.storeId() + "' is not open to this client");
            }
            return new SyncSession() {
                @Override
                public void onFrame(String frame) {
                    String id;
                    try (var r = Json.createReader(new StringReader(frame))) {
                        id = r.readObject().getString("id", null);
                    }
                    if (id == null) {
                        return; // as the engine does for an Ack, an Interrupt or an Eof: no answer
                    }
                    if (frame.contains("\"protocol-error\"")) {
                        transport.close(1008, "not a request this server understands");
                        return;
                    }
                    CompletableFuture.runAsync(() -> {
                        transport.send("{\"_tag\":\"Chunk\",\"requestId\":\"" + id + "\",\"values\":[{\"n\":1}]}");
                        transport.send("{\"exit\":{\"_tag\":\"Success\"},\"requestId\":\"" + id + "\",\"_tag\":\"Exit\"}");
                        transport.send("{\"_tag\":\"Chunk\",\"requestId\":\"" + id + "\",\"values\":[\"after the end\"]}");
                    });
                }

                @Override
                public void onClosed() {
                    closed.countDown();
                }
            };
        }
    }

    public static class App extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(Sync.class);
        }
    }

    static WeldContainer weld;
    static SeBootstrap.Instance server;
    static URI base;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        weld = new Weld().property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false).addBeanClasses(Engine.class).initialize();
        SeBootstrap.Configuration config = SeBootstrap.Configuration.builder().protocol("HTTP").host("127.0.0.1")
                .port(SeBootstrap.Configuration.FREE_PORT).rootPath("/").build();
        server = SeBootstrap.start(new App(), config).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.configuration().port() + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (weld != null) {
            weld.shutdown();
        }
    }

    @BeforeEach
    void forget() {
        Engine.HANDSHAKES.clear();
        Engine.closed = new CountDownLatch(1);
    }

    static HttpResponse<String> post(String pathAndQuery, String body, String storeIdHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(40))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (storeIdHeader != null) {
            b.header("x-livestore-store-id", storeIdHeader);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestIsAnsweredWithTheArrayOfItsFramesUpToItsExit() throws Exception {
        HttpResponse<String> r = post("livestore-http/notebook?storeId=s-1&payload=%257B%2522a%2522%253A1%257D&transport=http",
                "{\"_tag\":\"Request\",\"id\":\"7\",\"tag\":\"SyncHttpRpc.Pull\",\"payload\":{},\"headers\":[]}", "s-1");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonArray frames;
        try (var reader = Json.createReader(new StringReader(r.body()))) {
            frames = reader.readArray();
        }
        assertEquals(2, frames.size(), "the Chunk and the Exit, nothing after: " + r.body());
        assertEquals("Chunk", frames.getJsonObject(0).getString("_tag"));
        assertEquals("Exit", frames.getJsonObject(1).getString("_tag"));
        assertEquals(new SyncHandshake("notebook", "s-1", "%7B%22a%22%3A1%7D", "http"), Engine.HANDSHAKES.get(0));
        assertTrue(Engine.closed.await(10, TimeUnit.SECONDS), "the session is closed after the answer");
    }

    @Test
    void theStoreIdHeaderServesWhenTheQueryHasNone() throws Exception {
        HttpResponse<String> r = post("livestore-http/notebook?transport=http",
                "{\"_tag\":\"Request\",\"id\":\"1\",\"tag\":\"SyncHttpRpc.Ping\",\"payload\":{},\"headers\":[]}", "from-header");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("from-header", Engine.HANDSHAKES.get(0).storeId());
    }

    @Test
    void aRefusalIsAProblemDocumentWithItsStatus() throws Exception {
        HttpResponse<String> r = post("livestore-http/refused?storeId=s-1&transport=http",
                "{\"_tag\":\"Request\",\"id\":\"0\",\"tag\":\"SyncHttpRpc.Pull\",\"payload\":{},\"headers\":[]}", "s-1");
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonObject problem;
        try (var reader = Json.createReader(new StringReader(r.body()))) {
            problem = reader.readObject();
        }
        assertEquals(403, problem.getInt("status"));
        assertEquals("store 's-1' is not open to this client", problem.getString("detail"));
        assertEquals("LIVESTORE-0410", problem.getString("messageId"));
    }

    @Test
    void theEnginesCloseForAProtocolErrorIsA400Problem() throws Exception {
        HttpResponse<String> r = post("livestore-http/notebook?storeId=s-1&transport=http",
                "{\"_tag\":\"Request\",\"id\":\"0\",\"tag\":\"protocol-error\"}", "s-1");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("not a request this server understands"), r.body());
        assertTrue(Engine.closed.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aFrameThatIsNeverAnsweredIsA400WithoutASession() throws Exception {
        // Ack, Interrupt and Eof get no answer from the engine: the request would wait out its deadline (504)
        // with its store held, for nothing
        for (String frame : List.of("{\"_tag\":\"Ack\",\"requestId\":\"0\"}",
                "{\"_tag\":\"Interrupt\",\"requestId\":\"0\"}", "{\"_tag\":\"Eof\"}")) {
            long started = System.nanoTime();
            HttpResponse<String> r = post("livestore-http/notebook?storeId=s-1&transport=http", frame, "s-1");
            assertEquals(400, r.statusCode(), frame + " -> " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().contains("Request"), r.body());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(LiveStoreHttpSync.DEADLINE_SECONDS),
                    "answered at once, not at the deadline");
        }
        assertTrue(Engine.HANDSHAKES.isEmpty(), "no store was opened");
    }

    @Test
    void anOversizedBodyIsRefusedWithoutASession() throws Exception {
        HttpResponse<String> r = post("livestore-http/notebook?storeId=s-1&transport=http",
                "\"" + "x".repeat(LiveStoreHttpSync.MAX_BODY) + "\"", "s-1");
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(Engine.HANDSHAKES.isEmpty());
    }
}
