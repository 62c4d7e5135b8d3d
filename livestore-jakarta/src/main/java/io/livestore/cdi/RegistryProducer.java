package io.livestore.cdi;

import io.livestore.cdi.internal.ConfigValues;
import io.livestore.cdi.internal.LiveStoreInternal;
import io.livestore.cdi.internal.ManagedThreads;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.SqliteConnections;
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
 */
@ApplicationScoped
public class RegistryProducer {

    private static final System.Logger LOG = System.getLogger(RegistryProducer.class.getName());

    @Produces
    @ApplicationScoped
    StoreRegistry registry(LiveStoreExtension extension, BeanManager bm, ManagedThreads threads) {
        RegistryOptions options = withThreads(
                extension.applicationBeans().registryOptions(bm).orElseGet(LiveStoreConfig::registryOptions), threads);
        StoreRegistry registry = new StoreRegistry(options);
        String threadSource = options.threadFactory() == null ? "its own daemon threads"
                : threads.managedFactory().orElse(null) == options.threadFactory() ? "the server's managed threads"
                : "the application's thread factory";
        LOG.log(Level.INFO, "LiveStore registry started: stores {0}; configuration from {1}; runs on {2}",
                describe(options.storage()),
                ConfigValues.fromMicroProfile() ? "MicroProfile Config" : "system properties and environment", threadSource);
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

    private static String describe(StoreStorage storage) {
        if (storage instanceof StoreStorage.Directory d) {
            return "in " + d.dataDir().toAbsolutePath().normalize();
        }
        return "in memory";
    }
}
