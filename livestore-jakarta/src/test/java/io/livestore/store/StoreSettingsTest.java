package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one settings value an opener opens with: defaults, validation, and what the opener uses. */
class StoreSettingsTest {

    static final CompiledSchema<IssueSchema> SCHEMA = CompiledSchema.of(IssueSchema.class);

    @Test
    void defaults() {
        StoreSettings<IssueSchema> s = StoreSettings.builder("issue", SCHEMA).build();
        assertEquals("issue", s.definitionName());
        assertSame(SCHEMA, s.schema());
        assertEquals(Optional.empty(), s.storage());
        assertEquals(Durability.PROCESS_CRASH, s.durability());
        assertEquals(StoreSettings.DEFAULT_REBUILD_BATCH_SIZE, s.rebuildBatchSize());
    }

    @Test
    void invalidValuesAreRefusedNamingTheDefinition() {
        assertThrows(InvalidStoreIdException.class, () -> StoreSettings.builder("bad name", SCHEMA));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.builder("issue", SCHEMA).rebuildBatchSize(0));
        assertEquals("definition 'issue': rebuildBatchSize must be >= 1, was 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StoreOpener.builder("issue", SCHEMA).rebuildBatchSize(0),
                "the opener's builder validates through the same settings");
    }

    @Test
    void anOpenerOpensWithItsSettings(@TempDir Path dir) {
        StoreSettings<IssueSchema> s = StoreSettings.builder("issue", SCHEMA)
                .storage(StoreStorage.directory(dir)).durability(Durability.POWER_LOSS).build();
        StoreOpener<IssueSchema> opener = StoreOpener.of(s);
        assertSame(s, opener.settings());
        assertEquals(Durability.POWER_LOSS, opener.durability());
        try (Store<IssueSchema> store = opener.open("a")) {
            store.commit(new IssueSchema.IssueCreated("a", "A"));
        }
        assertTrue(opener.databaseFile("a").orElseThrow().startsWith(dir));
        StoreSettings<IssueSchema> inMemory = s.withStorage(StoreStorage.inMemory());
        assertEquals(Durability.POWER_LOSS, inMemory.durability(), "withStorage keeps the rest");
        assertEquals(Optional.empty(), StoreOpener.of(inMemory).databaseFile("a"));
        assertEquals(StoreStorage.directory(dir), s.storage().orElseThrow());
    }
}
