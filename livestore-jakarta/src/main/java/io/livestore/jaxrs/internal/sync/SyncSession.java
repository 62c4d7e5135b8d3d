package io.livestore.jaxrs.internal.sync;

/**
 * The protocol engine's side of one client connection: the transport hands it every text frame the
 * client sends, and tells it once when the connection has ended (whoever ended it). Thread-safe.
 */
public interface SyncSession {

    /** One text frame from the client (one JSON envelope). Answers go to the session's transport. */
    void onFrame(String frame);

    /** The connection has ended: the session stops its live pulls and releases its store. Idempotent. */
    void onClosed();
}
