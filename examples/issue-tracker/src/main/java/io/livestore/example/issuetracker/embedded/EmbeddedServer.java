package io.livestore.example.issuetracker.embedded;

import io.livestore.example.issuetracker.api.IssueResource;
import io.livestore.example.issuetracker.api.IssueTrackerApplication;
import io.livestore.example.issuetracker.api.KnownIdsFilter;
import io.livestore.example.issuetracker.api.Views;
import io.livestore.example.issuetracker.api.WorkspaceResource;
import io.livestore.example.issuetracker.api.WorkspacesResource;
import io.livestore.example.issuetracker.clients.ClientAccess;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.registry.StoreRegistry;
import jakarta.ws.rs.SeBootstrap;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.spi.WebServer;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The application without an application server: Weld SE for CDI, Jersey on Grizzly for JAX-RS,
 * started through {@code jakarta.ws.rs.SeBootstrap} on 127.0.0.1 only, and on the same port Tyrus for the
 * library's WebSocket sync endpoint ({@code ws://127.0.0.1:<port>/livestore/<definition>}, see
 * {@link WebSocketOnGrizzly}). Store files go where the library's configuration says ({@code livestore.data-dir});
 * the application's {@code META-INF/microprofile-config.properties} applies as on a server ({@link ConfigDefaults}).
 *
 * <p>Neither runtime scans the application, so its CDI beans are listed here and its JAX-RS classes in
 * {@link IssueTrackerApplication}. Jersey's CDI integration and the library's extensions are found on
 * the class path, as a server would find them.
 */
public final class EmbeddedServer implements AutoCloseable {

    /** The only address the server listens on. */
    public static final String HOST = "127.0.0.1";

    /** The application's CDI beans (JAX-RS classes without CDI annotations are Jersey's to make). */
    static final List<Class<?>> BEANS = List.of(StoreDefinitions.class, Views.class,
            KnownIdsFilter.class, WorkspacesResource.class, WorkspaceResource.class, IssueResource.class,
            ClientAccess.class);

    private static final long START_TIMEOUT_SECONDS = 60;

    private final WeldContainer container;
    private final SeBootstrap.Instance server;
    private final TyrusServerContainer webSocket;
    private final URI uri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedServer(WeldContainer container, SeBootstrap.Instance server, TyrusServerContainer webSocket) {
        this.container = container;
        this.server = server;
        this.webSocket = webSocket;
        this.uri = URI.create("http://" + HOST + ":" + server.configuration().port() + "/");
    }

    /**
     * Starts the application on {@code port} (0: any free port).
     *
     * @param extraBeans further CDI beans, for tests (a {@code RegistryOptions} producer, say)
     * @throws IllegalStateException the server did not start, e.g. the port is taken (with the cause)
     */
    public static EmbeddedServer start(int port, Class<?>... extraBeans) {
        ConfigDefaults.apply(); // before anything reads the configuration
        List<Class<?>> beans = new ArrayList<>(BEANS);
        beans.addAll(List.of(extraBeans));
        // This class shuts Weld down itself, after the HTTP server; Weld's own hook would do it a second time.
        WeldContainer container = new Weld()
                .property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .addBeanClasses(beans.toArray(Class<?>[]::new))
                .initialize();
        try {
            // Create the registry now, so a bad configuration fails the start rather than the first request.
            container.select(StoreRegistry.class).get().stats();
            // not started yet: the WebSocket filter must be in place before Grizzly builds the listener's filters
            SeBootstrap.Configuration configuration = SeBootstrap.Configuration.builder()
                    .protocol("HTTP").host(HOST).port(port).rootPath("/")
                    .property(ServerProperties.WEBSERVER_AUTO_START, false).build();
            SeBootstrap.Instance server = SeBootstrap.start(new IssueTrackerApplication(), configuration)
                    .toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            TyrusServerContainer webSocket = WebSocketOnGrizzly.install(server.unwrap(HttpServer.class));
            server.unwrap(WebServer.class).start().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new EmbeddedServer(container, server, webSocket);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            container.shutdown();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("the issue tracker did not start on " + HOST + ":" + port + ": " + cause, cause);
        } catch (InterruptedException e) {
            container.shutdown();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** The application's root, {@code http://127.0.0.1:<port>/}. */
    public URI uri() {
        return uri;
    }

    /** A bean of the running application (for tests and tools: the {@code StoreRegistry}, say). */
    public <T> T bean(Class<T> type) {
        return container.select(type).get();
    }

    /** Stops the HTTP server, then CDI, which closes the registry and with it every store. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.getLogger(EmbeddedServer.class.getName()).log(System.Logger.Level.WARNING, "HTTP server did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            webSocket.stop();
            container.shutdown();
        }
    }
}
