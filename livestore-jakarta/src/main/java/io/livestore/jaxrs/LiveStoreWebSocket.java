package io.livestore.jaxrs;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.jaxrs.internal.sync.CdiSyncSessions;
import io.livestore.jaxrs.internal.sync.SyncPath;
import io.livestore.jaxrs.internal.sync.SyncWebSocketEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The WebSocket endpoint that LiveStore JavaScript clients sync with ({@code makeWsSync({ url })} of
 * {@code @livestore/sync-cf} 0.4.0, {@code url = ws://host/<context root><path>/<definition>}), at the
 * path {@value LiveStoreConfig#SYNC_PATH} (default {@code /livestore}).
 *
 * <p>On a server (WildFly, Payara) the library registers it itself: nothing to do. A connection the
 * application refuses (its {@code StoreAccessPolicy}, an unknown definition, a bad storeId) is answered
 * with the HTTP status and a problem document, and no WebSocket is opened.
 *
 * <p>In Java SE, add {@link #endpointConfig()} to the WebSocket container the application runs (e.g. Tyrus
 * on the Grizzly server of Jersey; see the issue-tracker example). There a refused connection is accepted
 * and closed at once with code 1008 and the reason: such containers offer no portable way to answer an
 * upgrade with a status.
 */
public final class LiveStoreWebSocket {

    private LiveStoreWebSocket() {
    }

    /**
     * The endpoint's configuration for {@code jakarta.websocket.server.ServerContainer#addEndpoint}: path
     * {@code <livestore.sync.path>/{definition}}; sessions come from the application's CDI container, looked
     * up on the first connection.
     *
     * @throws IllegalArgumentException {@value LiveStoreConfig#SYNC_PATH} is not a plain path
     */
    public static ServerEndpointConfig endpointConfig() {
        return SyncWebSocketEndpoint.config(SyncPath.configured(), new CdiSyncSessions());
    }

    /** The configured path without the definition, e.g. {@code /livestore} (empty for the context root). */
    public static String path() {
        return SyncPath.configured();
    }
}
