package io.livestore.jaxrs.internal.sync;

/**
 * One client connection as the protocol engine sees it: where its answers go. Implemented by each
 * transport (a WebSocket session; an HTTP exchange that collects the frames of one request).
 *
 * <p>Thread-safe: the engine calls {@link #send} from the thread that handles a frame, from a committing
 * thread (a live pull's new events) and from a pinging one; the transport keeps the order of the calls
 * and must not block the caller for long (a WebSocket transport sends asynchronously and bounds what
 * waits).
 */
public interface SyncTransport {

    /**
     * Sends one text frame (one JSON envelope). Frames reach the client in the order of the calls.
     *
     * @return false when the frame cannot be sent (the connection is closed, or its queue is full and it
     *         is being closed, in which case {@link SyncSession#onClosed()} is called before this returns);
     *         the engine then stops feeding this connection
     */
    boolean send(String frame);

    /**
     * Ends the connection (WebSocket close {@code code} with {@code reason}: 1008 for a protocol or policy
     * violation, 1011 for a server failure, 1001 when the server shuts down). Idempotent; after it,
     * {@link #send} returns false, and the session is told {@link SyncSession#onClosed()} (once, possibly
     * before this call returns). The HTTP transport answers a close with a problem document instead
     * (1008: 400, 1009: 413, 1001: 503, others 500).
     *
     * <p>The engine may call this (and {@link #send}) under a store's lock and a pull's monitor, so
     * {@code onClosed} must take neither lock: it ends the session's pulls (their taps close without
     * a lock) and releases its lease, whose disposal runs on the registry's executor.
     */
    void close(int code, String reason);
}
