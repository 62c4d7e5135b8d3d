package io.livestore.example.issuetracker.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A Chrome DevTools Protocol connection to the browser, over the JDK's WebSocket client. Commands are
 * JSON messages with an id, answered by a message with the same id; sessions attached to a page in
 * "flat" mode share this one connection, told apart by their {@code sessionId}. Events (messages
 * without an id) go to the listener registered for their session.
 */
public final class DevTools implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, BiConsumer<String, JsonNode>> eventListeners = new ConcurrentHashMap<>();

    private DevTools(WebSocket.Builder builder, URI uri) {
        try {
            this.socket = builder.buildAsync(uri, new Receiver()).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to the browser's DevTools at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Connects to a browser endpoint, {@code ws://127.0.0.1:<port>/devtools/browser/<id>}. */
    public static DevTools connect(URI browserEndpoint) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        return new DevTools(http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT), browserEndpoint);
    }

    /** A browser-level command, e.g. {@code Target.createTarget}; its {@code result}. */
    public JsonNode send(String method, Map<String, ?> params, Duration timeout) {
        return send(null, method, params, timeout);
    }

    /**
     * A command to the page attached as {@code sessionId} (null: the browser).
     *
     * @return the command's {@code result}
     * @throws DevToolsException the browser answered with an error
     * @throws AssertionError    no answer within {@code timeout}
     */
    public JsonNode send(String sessionId, String method, Map<String, ?> params, Duration timeout) {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (socket) { // one message at a time: WebSocket forbids overlapping sends
                socket.sendText(message.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new DevToolsException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (TimeoutException e) {
            throw new AssertionError("the browser did not answer " + method + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + ": the connection to the browser failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Sends the events of {@code sessionId} to {@code listener} (method, params). */
    public void onEvents(String sessionId, BiConsumer<String, JsonNode> listener) {
        eventListeners.put(sessionId, listener);
    }

    /** Stops sending events of {@code sessionId}. */
    public void removeListener(String sessionId) {
        eventListeners.remove(sessionId);
    }

    @Override
    public void close() {
        socket.abort(); // the browser is killed next; no closing handshake needed
    }

    /** An error answer from the browser. */
    public static final class DevToolsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DevToolsException(String message) {
            super(message);
        }
    }

    /** Reassembles messages (they may come in parts) and routes answers and events. */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                dispatch(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            IllegalStateException gone = new IllegalStateException("DevTools connection failed: " + error, error);
            pending.values().forEach(answer -> answer.completeExceptionally(gone));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            IllegalStateException gone = new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason);
            pending.values().forEach(answer -> answer.completeExceptionally(gone));
            return null;
        }

        private void dispatch(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return; // not CDP; nothing waits for it
            }
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
                if (answer != null) {
                    answer.complete(message);
                }
            } else {
                BiConsumer<String, JsonNode> listener = eventListeners.get(message.path("sessionId").asText(""));
                if (listener != null) {
                    listener.accept(message.path("method").asText(), message.path("params"));
                }
            }
        }
    }
}
