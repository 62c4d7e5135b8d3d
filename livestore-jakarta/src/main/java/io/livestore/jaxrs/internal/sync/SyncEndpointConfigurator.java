package io.livestore.jaxrs.internal.sync;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.function.Supplier;

/**
 * Makes one {@link SyncWebSocketEndpoint} per connection, and moves a session that {@link SyncUpgradeFilter}
 * opened for the request into the connection's user properties (which Jakarta WebSocket 2.1 makes a
 * per-connection copy in {@code modifyHandshake}, and the initial {@code Session.getUserProperties()}).
 */
final class SyncEndpointConfigurator extends ServerEndpointConfig.Configurator {

    private final Supplier<SyncSessions> sessions;

    SyncEndpointConfigurator(Supplier<SyncSessions> sessions) {
        this.sessions = sessions;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        UpgradeHandoff.PreOpened preOpened = UpgradeHandoff.claim();
        if (preOpened != null) {
            sec.getUserProperties().put(UpgradeHandoff.KEY, preOpened);
        }
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new SyncWebSocketEndpoint(sessions));
    }
}
