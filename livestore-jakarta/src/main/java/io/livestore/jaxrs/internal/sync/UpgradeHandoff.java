package io.livestore.jaxrs.internal.sync;

/**
 * Hands a session opened by {@link SyncUpgradeFilter} to the WebSocket the container then opens for the
 * same request. The filter offers it on the request's thread and lets the container upgrade; the
 * container calls {@link SyncEndpointConfigurator#modifyHandshake} on that same thread (Tyrus and
 * Undertow both do, inside their upgrade filter), which claims it into the connection's own user
 * properties, from which {@link SyncWebSocketEndpoint#onOpen} takes it. What is still offered when the
 * container returns was not upgraded (the container answered the request itself, e.g. 400 for a bad
 * handshake): the filter closes it.
 */
final class UpgradeHandoff {

    /** The user property of a connection that carries its pre-opened session. */
    static final String KEY = UpgradeHandoff.class.getName();

    /** A session the engine opened for an upgrade request, and the transport it answers through. */
    record PreOpened(SyncSession session, WebSocketTransport transport) {
    }

    private static final ThreadLocal<PreOpened> OFFERED = new ThreadLocal<>();

    private UpgradeHandoff() {
    }

    static void offer(PreOpened preOpened) {
        OFFERED.set(preOpened);
    }

    /** The session offered on this thread, now taken; null when none. */
    static PreOpened claim() {
        PreOpened offered = OFFERED.get();
        OFFERED.remove();
        return offered;
    }

    /** What is still offered on this thread (not claimed: no upgrade happened), now withdrawn; null when none. */
    static PreOpened withdraw() {
        return claim();
    }
}
