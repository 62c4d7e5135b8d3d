package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livestore.store.Durability;
import io.livestore.store.IssueSchema;
import io.livestore.store.OnBoot;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A definition holds the store layer's settings value, and its opener opens with exactly that. */
class StoreDefinitionSettingsTest {

    @Test
    void theBuilderFillsTheSettingsAndTheOpenerUsesThem(@TempDir Path dir) {
        OnBoot<IssueSchema> hook = (store, report) -> { };
        StoreDefinition<IssueSchema> d = StoreDefinition.builder("issue", IssueSchema.class)
                .durability(Durability.POWER_LOSS).onBoot(hook).rebuildBatchSize(7).build();
        assertEquals("issue", d.settings().definitionName());
        assertEquals(Durability.POWER_LOSS, d.settings().durability());
        assertSame(hook, d.settings().onBoot());
        assertEquals(7, d.settings().rebuildBatchSize());
        assertEquals(Optional.empty(), d.storage(), "unset: the registry's storage applies");

        StoreOpener<IssueSchema> opener = d.openerFor(StoreStorage.directory(dir));
        assertEquals(StoreStorage.directory(dir), opener.storage());
        assertEquals(Durability.POWER_LOSS, opener.durability());
        assertEquals(7, opener.settings().rebuildBatchSize());
        assertSame(hook, opener.settings().onBoot());

        StoreDefinition<IssueSchema> own = StoreDefinition.builder("issue", IssueSchema.class)
                .storage(StoreStorage.inMemory()).build();
        assertSame(own.settings(), own.openerFor(StoreStorage.directory(dir)).settings(), "its own storage wins");
    }

    @Test
    void validationIsTheSettingsOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreDefinition.builder("issue", IssueSchema.class).rebuildBatchSize(0));
        assertEquals("definition 'issue': rebuildBatchSize must be >= 1, was 0", e.getMessage());
    }
}
