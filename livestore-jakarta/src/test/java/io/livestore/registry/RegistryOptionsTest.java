package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.livestore.registry.spi.StoreLoader;
import io.livestore.store.StoreStorage;
import io.livestore.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class RegistryOptionsTest {

    @Test
    void toBuilderKeepsEveryOptionAndChangesOnlyWhatIsSet() {
        Executor executor = Runnable::run;
        StoreStorage storage = StoreStorage.inMemory();
        StoreLoader loader = (definition, opener, storeId, cancel) -> opener.open(storeId, cancel);
        RegistryOptions original = RegistryOptions.builder()
                .defaultUnusedCacheTime(Duration.ofSeconds(7)).storage(storage).maxLoadedStores(3)
                .executor(executor).loader(loader).closeTimeout(Duration.ofSeconds(4))
                .leaseTimeout(Duration.ofSeconds(5)).build();
        ManualScheduler clock = new ManualScheduler();

        RegistryOptions changed = original.toBuilder().scheduler(clock).build();

        assertEquals(Duration.ofSeconds(7), changed.defaultUnusedCacheTime());
        assertSame(storage, changed.storage());
        assertEquals(3, changed.maxLoadedStores().getAsInt());
        assertSame(executor, changed.executor());
        assertSame(loader, changed.loader());
        assertEquals(Duration.ofSeconds(4), changed.closeTimeout());
        assertEquals(Duration.ofSeconds(5), changed.leaseTimeout());
        assertSame(clock, changed.scheduler());
        assertNotSame(clock, original.scheduler(), "the original is unchanged");
    }
}
