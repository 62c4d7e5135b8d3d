package io.livestore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, defect 7: a live query holds exactly its own retention while its client listens, and none
 * after the client has gone — on both servers, although Payara never ends the request scope of a
 * Server-Sent Events request (there the preload filter's retention used to stay forever: 2 per open
 * stream, 1 left after each). The registry's snapshot comes from the WAR's {@code /registry} resource.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LiveQueryRetentionIT {

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

    private int retentions(String storeId) {
        JsonNode entry = server.storeEntry("notebook", storeId);
        return entry == null ? 0 : entry.get("retentions").asInt(); // not loaded: nobody retains it
    }

    @Test
    void aLiveQueryHoldsOneRetentionWhileItsClientListensAndNoneOnceItHasGone() throws Exception {
        server.json(server.post("notebooks/stream-1/notes?noteId=a&text=first"));
        server.awaitStoreEntry("notebook", "stream-1", e -> e != null && e.get("retentions").asInt() == 0,
                "released by the request that wrote");

        for (int client = 1; client <= 2; client++) {
            HttpResponse<InputStream> stream = Server.client().send(
                    HttpRequest.newBuilder(server.uri("notebooks/stream-1/live"))
                            .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> awaitResult(events));
                // The request that opened the stream has done its work by now; the stream goes on.
                assertEquals(1, retentions("stream-1"), "client " + client + ": one retention per open stream");
            } // the client goes away
            awaitNoRetention("stream-1", "client " + client + " has gone");
        }
    }

    /**
     * A gone client shows when a heartbeat fails to send. Heartbeats run every {@code livestore.sse-heartbeat}
     * (short in this suite); the registry's clock is advanced too, in case they follow it.
     */
    private void awaitNoRetention(String storeId, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (retentions(storeId) != 0) {
            if (System.nanoTime() > deadline) {
                fail(what + ", but store notebook/" + storeId + " still has " + retentions(storeId) + " retention(s)");
            }
            server.json(server.post("registry/clock?by=PT16S"));
            Thread.sleep(200);
        }
    }

    private static void awaitResult(BufferedReader events) throws Exception {
        String line;
        while ((line = events.readLine()) != null) {
            if (line.equals("event: result") || line.equals("event:result")) {
                return;
            }
        }
        throw new AssertionError("the stream ended before a result event");
    }
}
