package io.livestore.cdi.internal;

import io.livestore.sync.ListenConnectionSource;
import io.livestore.sync.PostgresUpstream;
import io.livestore.sync.PostgresUpstreamOptions;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Opens the configured shared log for the CDI layer's registry: a server's DataSource looked up by JNDI
 * name ({@link PostgresUpstream#start}), or a JDBC URL with HikariCP ({@link PostgresUpstream#connect}).
 * The only class of the CDI layer that touches {@code io.livestore.sync}, and it is loaded only in
 * cluster mode after the optional drivers were found ({@link OptionalDrivers}).
 */
public final class ClusterUpstreams {

    private static final System.Logger LOG = System.getLogger(ClusterUpstreams.class.getName());

    private ClusterUpstreams() {
    }

    /**
     * The upstream of {@code settings} (which must be {@link ClusterSettings#clustered() clustered}), its
     * LISTEN thread from {@code threads}; the caller closes it after the registry.
     *
     * @throws IllegalStateException a missing driver (0333) or a JNDI name that is not a DataSource (0334)
     * @throws io.livestore.store.UpstreamUnavailableException PostgreSQL cannot be reached
     */
    public static PostgresUpstream open(ClusterSettings settings, ThreadFactory threads) {
        ClusterSettings.Source source = settings.source().orElseThrow(() -> new IllegalArgumentException("not clustered"));
        List<String> missing = OptionalDrivers.missingFor(source);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join("; ", missing));
        }
        PostgresUpstreamOptions.Builder options = PostgresUpstreamOptions.builder();
        if (threads != null) {
            options.threadFactory(threads);
        }
        if (source instanceof ClusterSettings.JdbcSource j) {
            return PostgresUpstream.connect(j.jdbcUrl(), j.user(), j.password(), options.build());
        }
        ClusterSettings.JndiSource jndi = (ClusterSettings.JndiSource) source;
        DataSource pooled = lookUp(ClusterSettings.DATASOURCE, jndi.dataSource());
        if (jndi.listenDataSource().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, ClusterSettings.LISTEN_DATASOURCE + " is not set: the LISTEN connection "
                    + "is kept from the pool of " + jndi.dataSource() + " (size that pool one larger); set it to the JNDI "
                    + "name of a second, non-pooled or separately pooled DataSource");
            return PostgresUpstream.start(pooled, options.build());
        }
        DataSource listen = lookUp(ClusterSettings.LISTEN_DATASOURCE, jndi.listenDataSource().get());
        return PostgresUpstream.start(pooled, ListenConnectionSource.of(listen), options.build());
    }

    private static DataSource lookUp(String key, String name) {
        Object found;
        try {
            found = new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw new IllegalStateException("LIVESTORE-0334: " + key + "='" + name + "' names no DataSource the "
                    + "application can see (" + e.getClass().getSimpleName() + "); define it on the server or in the "
                    + "application, and use its JNDI name as the application sees it (java:jboss/..., java:app/...)", e);
        }
        if (!(found instanceof DataSource ds)) {
            throw new IllegalStateException("LIVESTORE-0334: " + key + "='" + name + "' is bound, but to "
                    + (found == null ? "nothing" : "a " + found.getClass().getSimpleName()) + ", not a javax.sql.DataSource");
        }
        return ds;
    }
}
