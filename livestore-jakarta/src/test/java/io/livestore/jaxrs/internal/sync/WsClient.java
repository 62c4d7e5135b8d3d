package io.livestore.jaxrs.internal.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK {@link WebSocket} client for the transport tests: whole text messages in a queue, the close code
 * and reason (or the error) as a future. {@code reading=false} requests no message at all, like a client
 * that stopped reading, until {@link #startReading()}.
 */
final class WsClient implements WebSocket.Listener {

    /** How a connection ended: the close code and reason, or code -1 and the error. */
    record Ending(int code, String reason) {
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private final boolean reading;
    private final StringBuilder partial = new StringBuilder();
    volatile WebSocket socket;

    private WsClient(boolean reading) {
        this.reading = reading;
    }

    static WsClient connect(URI uri) throws Exception {
        return connect(uri, true);
    }

    static WsClient connect(URI uri, boolean reading) throws Exception {
        WsClient client = new WsClient(reading);
        client.socket = HTTP.newWebSocketBuilder().buildAsync(uri, client).get(20, TimeUnit.SECONDS);
        return client;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(20, TimeUnit.SECONDS);
    }

    String next() throws InterruptedException {
        String m = messages.poll(20, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 20 s; ending: " + ending.getNow(null));
        }
        return m;
    }

    Ending awaitEnding() throws Exception {
        return ending.get(30, TimeUnit.SECONDS);
    }

    void startReading() {
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(Long.MAX_VALUE);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ending.complete(new Ending(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ending.complete(new Ending(-1, String.valueOf(error)));
    }
}
