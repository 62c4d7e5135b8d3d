package io.livestore.jaxrs.internal.sync;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Set;

/**
 * Registers the sync endpoint in every web application that has the library in {@code WEB-INF/lib}, with
 * no entry in the application (found through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer},
 * which servlet containers read from every jar of the application): the {@link SyncUpgradeFilter} at
 * {@code <livestore.sync.path>/*}, and, once every initializer has run (the WebSocket container is set up
 * by one: Tyrus's on Payara), the {@link SyncWebSocketEndpoint} through {@code ServerContainer.addEndpoint}.
 *
 * <p>Not a {@code ServerApplicationConfig}: a container that finds one deploys only the annotated endpoints
 * some config returns, so one in the library would change which of the application's own endpoints are
 * deployed. In Java SE nothing loads this class; there the application adds
 * {@code io.livestore.jaxrs.LiveStoreWebSocket.endpointConfig()} to its container.
 */
public final class SyncServletInitializer implements ServletContainerInitializer {

    private static final System.Logger LOG = System.getLogger(SyncServletInitializer.class.getName());
    private static final String FILTER_NAME = "io.livestore.sync-upgrade";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        String base;
        try {
            base = SyncPath.configured();
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage(), e);
        }
        CdiSyncSessions sessions = new CdiSyncSessions();
        FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, new SyncUpgradeFilter(base, sessions));
        if (filter == null) {
            return; // registered already (the jar twice in one application)
        }
        filter.setAsyncSupported(true);
        // isMatchAfter=false: before the declared filters, and so before the container's WebSocket filter
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, base + "/*");
        context.addListener(new EndpointRegistration(base, sessions));
    }

    /** Adds the endpoint when the WebSocket container of the application is there. */
    private static final class EndpointRegistration implements ServletContextListener {
        private final String base;
        private final CdiSyncSessions sessions;

        EndpointRegistration(String base, CdiSyncSessions sessions) {
            this.base = base;
            this.sessions = sessions;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletContext context = event.getServletContext();
            Object container = context.getAttribute(ServerContainer.class.getName());
            if (!(container instanceof ServerContainer serverContainer)) {
                LOG.log(Level.WARNING, "LIVESTORE-0411: the server offers this application no WebSocket container, so "
                        + "LiveStore clients cannot connect at " + context.getContextPath() + SyncPath.endpointTemplate(base));
                return;
            }
            try {
                serverContainer.addEndpoint(SyncWebSocketEndpoint.config(base, sessions));
            } catch (DeploymentException e) {
                throw new IllegalStateException("LIVESTORE-0412: the LiveStore sync endpoint could not be registered at "
                        + SyncPath.endpointTemplate(base) + " (" + e.getMessage() + "); choose another path with "
                        + io.livestore.cdi.LiveStoreConfig.SYNC_PATH, e);
            }
        }
    }
}
