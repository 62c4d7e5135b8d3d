package io.livestore.jaxrs.internal.sync;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.lang.reflect.Constructor;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * A WebSocket container as an embedded application runs one: Tyrus on a Grizzly HTTP server on 127.0.0.1
 * and a free port. Tyrus's filter sits before Grizzly's HTTP filter, so upgrades to an endpoint's path
 * become WebSockets and every other request reaches the server's HTTP handlers (Jersey, in the example).
 */
final class TyrusOnGrizzly implements AutoCloseable {

    private final HttpServer server;
    private final TyrusServerContainer container;

    private TyrusOnGrizzly(HttpServer server, TyrusServerContainer container) {
        this.server = server;
        this.container = container;
    }

    static TyrusOnGrizzly start(ServerEndpointConfig endpoint) throws IOException, DeploymentException {
        return start(endpoint, 0);
    }

    /** On 127.0.0.1 and {@code port} (0: a free one). */
    static TyrusOnGrizzly start(ServerEndpointConfig endpoint, int port) throws IOException, DeploymentException {
        TyrusServerContainer container = new TyrusServerContainer((Set<Class<?>>) null) {
            // Tyrus's own frame limit above the endpoint's, so that the endpoint's is the one that counts
            private final WebSocketEngine engine = TyrusWebSocketEngine.builder(this)
                    .incomingBufferSize(SyncWebSocketEndpoint.MAX_MESSAGE * 2).build();

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
        };
        container.addEndpoint(endpoint);
        container.start("", 0); // registers the endpoint with the engine; opens no socket of its own
        container.doneDeployment();
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("websocket", "127.0.0.1", port);
        listener.registerAddOn(addOn(container));
        server.addListener(listener);
        server.start();
        return new TyrusOnGrizzly(server, container);
    }

    /**
     * Tyrus's Grizzly add-on, which puts its filter before the HTTP one. The class is public so that others
     * can run it on their own Grizzly server (TYRUS-317), its constructor is not.
     */
    static AddOn addOn(org.glassfish.tyrus.spi.ServerContainer container) {
        try {
            Constructor<WebSocketAddOn> c = WebSocketAddOn.class.getDeclaredConstructor(
                    org.glassfish.tyrus.spi.ServerContainer.class, String.class);
            c.setAccessible(true);
            return c.newInstance(container, "");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Tyrus has no WebSocketAddOn(ServerContainer, String)", e);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.getListener("websocket").getPort() + pathAndQuery);
    }

    @Override
    public void close() {
        server.shutdownNow();
        container.stop();
    }
}
