package io.livestore.example.issuetracker.embedded;

import io.livestore.jaxrs.LiveStoreWebSocket;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Constructor;
import java.util.Set;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * The library's WebSocket sync endpoint ({@link LiveStoreWebSocket}: LiveStore JavaScript clients connect to
 * {@code ws://127.0.0.1:<port>/livestore/<definition>}) on the same Grizzly server and port as Jersey:
 * Tyrus's filter goes in front of Grizzly's HTTP filter, takes the upgrade requests to the endpoint's path
 * and leaves every other request to Jersey. (On a server the library registers the endpoint itself.)
 */
final class WebSocketOnGrizzly {

    private WebSocketOnGrizzly() {
    }

    /**
     * Adds the endpoint to every listener of {@code server}, which must not be started yet (Grizzly builds a
     * listener's filters when it starts).
     *
     * @return the WebSocket container, to stop after the server
     */
    static TyrusServerContainer install(HttpServer server) {
        TyrusServerContainer container = new Container();
        try {
            container.addEndpoint(LiveStoreWebSocket.endpointConfig());
            container.start("", -1); // registers the endpoint with Tyrus's engine; opens no socket of its own
        } catch (DeploymentException | java.io.IOException e) {
            throw new IllegalStateException("the LiveStore WebSocket endpoint could not be set up: " + e.getMessage(), e);
        }
        container.doneDeployment();
        for (NetworkListener listener : server.getListeners()) {
            listener.registerAddOn(addOn(container));
        }
        return container;
    }

    /**
     * Tyrus's Grizzly add-on. Tyrus keeps the class public so that others can run it on their own Grizzly
     * server (TYRUS-317), but not its constructor.
     */
    private static AddOn addOn(TyrusServerContainer container) {
        try {
            Constructor<WebSocketAddOn> c = WebSocketAddOn.class.getDeclaredConstructor(
                    org.glassfish.tyrus.spi.ServerContainer.class, String.class);
            c.setAccessible(true);
            return c.newInstance(container, "");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Tyrus has no WebSocketAddOn(ServerContainer, String)", e);
        }
    }

    /** Tyrus's server container without a server of its own: Jersey's Grizzly carries it. */
    private static final class Container extends TyrusServerContainer {
        private final WebSocketEngine engine;

        Container() {
            super((Set<Class<?>>) null);
            // Tyrus's frame buffer (4 MB by default) stays above the endpoint's own message limit (2 MiB)
            engine = TyrusWebSocketEngine.builder(this).build();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, "");
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, "");
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }
}
