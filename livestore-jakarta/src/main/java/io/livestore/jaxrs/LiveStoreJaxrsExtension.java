package io.livestore.jaxrs;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.List;

/**
 * Registers the JAX-RS layer's CDI beans (the preload filter, live queries, the LiveStore sync
 * protocol's sessions), so the library's jar
 * needs no beans.xml and applications no entries. The filter and the problem mapper are JAX-RS
 * providers too: servers that scan deployments find them by {@code @Provider}; an {@code Application}
 * that lists its classes adds {@link #PROVIDERS}. The deployment checks of resources' {@code @LiveStore}
 * injection points (path parameters, request scope) are this layer's too
 * ({@link io.livestore.jaxrs.internal.ResourceRules}); the CDI extension runs them with its own.
 */
public class LiveStoreJaxrsExtension implements Extension {

    /** The providers to list in an {@code Application#getClasses()} that does not scan. */
    public static final List<Class<?>> PROVIDERS = List.of(LiveStorePreloadFilter.class, LiveStoreProblemMapper.class,
            ProgrammingErrorMappers.Query.class, ProgrammingErrorMappers.LeaseClosed.class,
            ProgrammingErrorMappers.DefinitionConflict.class);

    void registerBeans(@Observes BeforeBeanDiscovery bbd, BeanManager bm) {
        for (Class<?> c : List.of(LiveStorePreloadFilter.class, LiveQueries.class,
                io.livestore.jaxrs.internal.sync.SyncService.class)) {
            bbd.addAnnotatedType(bm.createAnnotatedType(c), LiveStoreJaxrsExtension.class.getName() + "." + c.getSimpleName());
        }
    }
}
