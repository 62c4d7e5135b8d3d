package io.livestore.example.issuetracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's WebSocket sync endpoint runs embedded on the same port as the JSON API: an upgrade to
 * {@code /livestore/<definition>} reaches it, every other request still reaches Jersey.
 */
class SyncEndpointTest {

    static RunningTracker tracker;

    @BeforeAll
    static void start() {
        tracker = RunningTracker.start("sync");
    }

    @AfterAll
    static void stop() {
        if (tracker != null) {
            tracker.close();
        }
    }

    @Test
    void theWebSocketEndpointSharesThePortWithTheApi() throws Exception {
        URI http = tracker.server().uri();
        URI ws = URI.create("ws://" + http.getHost() + ":" + http.getPort() + "/livestore/no-such-definition?storeId=x&transport=ws");
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(ws,
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(20, TimeUnit.SECONDS);
        // embedded, a refused connection (an unknown definition) is opened and closed at once with 1008
        assertEquals(1008, closed.get(20, TimeUnit.SECONDS));
        tracker.api().get("api/workspaces").expect(200);
    }
}
