package io.livestore.jaxrs.internal.sync;

/**
 * Opens protocol sessions: the way in for every transport. Checks the handshake (definition open to
 * clients, valid storeId, decodable payload, the application's policies) and retains the store before
 * the connection is accepted, so a refused connection has read and written nothing (L6).
 */
public interface SyncSessions {

    /**
     * @return the session, already holding its store; the transport feeds it frames from now on
     * @throws SyncRefusedException the connection must not be opened; nothing was read or written
     */
    SyncSession open(SyncHandshake handshake, SyncTransport transport);

    /**
     * Whether connections for {@code definition} are this endpoint's to answer at all. The upgrade filter lets
     * any other upgrade request under the endpoint's path pass untouched, so an application's own WebSocket
     * endpoint there stays reachable (and a store admission is never tried for it). By default all are.
     */
    default boolean serves(String definition) {
        return true;
    }
}
