package io.livestore.cdi;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.internal.SqliteConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Provides the application's one {@link StoreRegistry} (C5): configured by a {@link RegistryOptions}
 * bean when the application declares one, else from {@link LiveStoreConfig}; closed (R15) when the
 * application stops. Registered by the extension: no beans.xml entry is needed.
 */
@ApplicationScoped
public class RegistryProducer {

    @Produces
    @ApplicationScoped
    StoreRegistry registry(LiveStoreExtension extension, BeanManager bm) {
        return new StoreRegistry(extension.applicationBeans().registryOptions(bm).orElseGet(LiveStoreConfig::registryOptions));
    }

    void close(@Disposes StoreRegistry registry, LiveStoreExtension extension) {
        try {
            registry.close();
        } finally {
            extension.applicationBeans().release();
            SqliteConnections.deregisterDriver(); // else DriverManager pins this application's class loader
        }
    }
}
