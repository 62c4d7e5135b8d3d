package io.livestore.it;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.StoreDef;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.testing.ManualScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The application's store definitions and registry options, produced by a bean as an application would:
 * one definition from a field, one from a method.
 */
@ApplicationScoped
public class Definitions {

    /** unusedCacheTime of notebooks: the disposal test advances the clock past it. */
    public static final Duration NOTEBOOK_IDLE = Duration.ofSeconds(30);

    @Produces
    @StoreDef("notebook")
    static final StoreDefinition<NotebookSchema> NOTEBOOK = StoreDefinition.builder("notebook", NotebookSchema.class)
            .unusedCacheTime(NOTEBOOK_IDLE)
            .build();

    @Produces
    @StoreDef("journal")
    StoreDefinition<NotebookSchema> journal() {
        return StoreDefinition.builder("journal", NotebookSchema.class).unusedCacheTime(Duration.ofMinutes(5)).build();
    }

    /** The registry's clock, which the tests advance through {@link RegistryResource}: no test waits for time. */
    @Produces
    @Singleton
    ManualScheduler clock() {
        return new ManualScheduler();
    }

    /**
     * The options from configuration (data directory from {@code livestore.data-dir}), with the test clock.
     * Dependent: RegistryOptions is final, so it cannot have a normal scope's proxy.
     */
    @Produces
    RegistryOptions options(ManualScheduler clock) {
        return LiveStoreConfig.registryOptions().toBuilder().scheduler(clock).build();
    }
}
