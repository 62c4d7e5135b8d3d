package io.livestore.jaxrs;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.media.sse.OutboundEvent;

/**
 * An SSE client without HTTP: records what a live query sends; once {@link #disconnect()}ed, every
 * send fails as it does on a server after the client went away.
 */
final class RecordingSink implements SseEventSink {

    /** The {@code Sse} a resource method would get. */
    static final Sse SSE = new Sse() {
        @Override
        public OutboundSseEvent.Builder newEventBuilder() {
            return new OutboundEvent.Builder();
        }

        @Override
        public SseBroadcaster newBroadcaster() {
            throw new UnsupportedOperationException();
        }
    };

    private final BlockingQueue<OutboundSseEvent> events = new LinkedBlockingQueue<>();
    private volatile boolean gone;
    private volatile boolean closed;

    /** The client goes away: later sends fail. */
    void disconnect() {
        gone = true;
    }

    /** The next named event (heartbeat comments skipped), waiting at most 10 s. */
    OutboundSseEvent next() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            OutboundSseEvent e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event within 10 s");
            }
            if (e.getName() != null) {
                return e;
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        if (gone || closed) {
            return CompletableFuture.failedFuture(new java.io.IOException("connection reset by peer"));
        }
        events.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed = true;
    }
}
