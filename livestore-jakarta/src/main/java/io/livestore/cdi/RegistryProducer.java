package io.livestore.cdi;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/**
 * Provides the application's one {@link StoreRegistry} (C5): configured by a {@link RegistryOptions}
 * bean when the application declares one, else from {@link LiveStoreConfig}; closed (R15) when the
 * application stops. Registered by the extension: no beans.xml entry is needed.
 */
@ApplicationScoped
public class RegistryProducer {

    @Produces
    @ApplicationScoped
    StoreRegistry registry(Instance<RegistryOptions> options) {
        return new StoreRegistry(options.isResolvable() ? options.get() : LiveStoreConfig.registryOptions());
    }

    void close(@Disposes StoreRegistry registry) {
        registry.close();
    }
}
