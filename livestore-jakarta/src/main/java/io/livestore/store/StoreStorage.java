package io.livestore.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where stores keep their data: SQLite files under a data directory, or memory (tests; every open
 * starts empty).
 */
public sealed interface StoreStorage {

    /** Files under {@code dataDir}: {@code <dataDir>/<definition>/<storeId>.db} (plus SQLite's WAL file). */
    static StoreStorage directory(Path dataDir) {
        return new Directory(Objects.requireNonNull(dataDir, "dataDir"));
    }

    /** Private in-memory databases; nothing survives {@link Store#close()}. */
    static StoreStorage inMemory() {
        return InMemory.INSTANCE;
    }

    /** Files under a data directory. */
    record Directory(Path dataDir) implements StoreStorage {
        /** @param dataDir the root folder; created when needed */
        public Directory {
            Objects.requireNonNull(dataDir, "dataDir");
        }

        /** The database file of a store, after validating definition name and storeId (S5). */
        public Path databaseFile(String definitionName, String storeId) {
            return StoreIds.databaseFile(dataDir, definitionName, storeId);
        }
    }

    /** In-memory databases. */
    enum InMemory implements StoreStorage {
        /** The only instance. */
        INSTANCE
    }
}
