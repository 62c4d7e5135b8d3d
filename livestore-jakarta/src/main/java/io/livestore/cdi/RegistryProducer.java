package io.livestore.cdi;

import io.livestore.cdi.internal.ClusterSettings;
import io.livestore.cdi.internal.ClusterUpstreams;
import io.livestore.cdi.internal.ConfigValues;
import io.livestore.cdi.internal.LiveStoreInternal;
import io.livestore.cdi.internal.ManagedThreads;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.SqliteConnections;
import io.livestore.sync.PostgresUpstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Provides the application's one {@link StoreRegistry} (C5): configured by a {@link RegistryOptions}
 * bean when the application declares one, else from {@link LiveStoreConfig}; closed (R15) when the
 * application stops. Registered by the extension: no beans.xml entry is needed.
 *
 * <p>Threads: inside a Jakarta EE server the registry's pool and timer come from the server's default
 * {@code ManagedThreadFactory}, unless the application's options set a thread factory of their own;
 * outside a server the registry keeps its own daemon threads. The live queries' scheduler comes from
 * the same factory ({@link ManagedThreads}).
 *
 * <p>Cluster mode: when a cluster key names the shared log ({@code livestore.cluster.datasource} or
 * {@code livestore.cluster.jdbc-url}) and the options bring no upstream of their own, the producer opens
 * the log ({@link ClusterUpstreams}) and closes it after the registry when the application stops.
 */
@ApplicationScoped
public class RegistryProducer {

    private static final System.Logger LOG = System.getLogger(RegistryProducer.class.getName());

    /** The shared log this producer opened (cluster mode from the keys), closed after the registry; else null. */
    private volatile AutoCloseable openedUpstream;

    @Produces
    @ApplicationScoped
    StoreRegistry registry(LiveStoreExtension extension, BeanManager bm, ManagedThreads threads) {
        RegistryOptions options = withThreads(
                extension.applicationBeans().registryOptions(bm).orElseGet(LiveStoreConfig::registryOptions), threads);
        ClusterSettings cluster = LiveStoreConfig.clusterSettings();
        AutoCloseable opened = null;
        if (options.upstream().isEmpty() && cluster.clustered()) {
            // The application's options may bring their own upstream (and close it); else the keys name one.
            PostgresUpstream upstream = ClusterUpstreams.open(cluster, threads.managedFactory().orElse(null));
            opened = upstream;
            options = options.toBuilder().upstream(upstream).build();
        }
        StoreRegistry registry;
        try {
            registry = new StoreRegistry(options);
        } catch (RuntimeException | Error e) {
            closeQuietly(opened);
            throw e;
        }
        openedUpstream = opened;
        String threadSource = options.threadFactory() == null ? "its own daemon threads"
                : threads.managedFactory().orElse(null) == options.threadFactory() ? "the server's managed threads"
                : "the application's thread factory";
        LOG.log(Level.INFO, "LiveStore registry started: stores {0}; configuration from {1}; runs on {2}; {3}",
                describe(options.storage()),
                ConfigValues.fromMicroProfile() ? "MicroProfile Config" : "system properties and environment", threadSource,
                options.upstream().isEmpty() ? "single node"
                : "cluster mode, node " + options.nodeIdentity().map(n -> n.nodeId()).orElse("(each definition's default)")
                        + (opened != null ? ", shared log from " + describe(cluster) : ", the application's upstream"));
        return registry;
    }

    /** The options with the server's managed thread factory, unless they set one already. */
    static RegistryOptions withThreads(RegistryOptions options, ManagedThreads threads) {
        if (options.threadFactory() != null) {
            return options; // the application chose its threads
        }
        return threads.managedFactory().map(f -> options.toBuilder().threadFactory(f).build()).orElse(options);
    }

    void close(@Disposes StoreRegistry registry, LiveStoreExtension extension) {
        try {
            registry.close();
        } finally {
            AutoCloseable upstream = openedUpstream;
            openedUpstream = null;
            closeQuietly(upstream); // after the registry, which listens to it (its LISTEN thread and pool end here)
            extension.applicationBeans().release();
            SqliteConnections.deregisterDriver(); // else DriverManager pins this application's class loader
        }
    }

    /**
     * Looked up on the first thread of the application that needs it (a request's or the startup's),
     * where {@code java:comp} is there. Singleton: the same instance everywhere, no client proxy.
     */
    @Produces
    @Singleton
    ManagedThreads threads() {
        return ManagedThreads.lookUp();
    }

    void stopThreads(@Disposes ManagedThreads threads) {
        threads.shutdown();
    }

    /** The scheduler of the JAX-RS layer's live queries, owned (and stopped) by {@link ManagedThreads}. */
    @Produces
    @Singleton
    @LiveStoreInternal
    ScheduledExecutorService liveQueryScheduler(ManagedThreads threads) {
        return threads.scheduler();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the shared log failed", e);
        }
    }

    private static String describe(ClusterSettings cluster) {
        return cluster.source().map(s -> s instanceof ClusterSettings.JndiSource j ? "DataSource " + j.dataSource()
                : "JDBC URL " + ((ClusterSettings.JdbcSource) s).jdbcUrl().replaceAll("\\?.*", "")).orElse("nowhere");
    }

    private static String describe(StoreStorage storage) {
        if (storage instanceof StoreStorage.Directory d) {
            return "in " + d.dataDir().toAbsolutePath().normalize();
        }
        return "in memory";
    }
}
