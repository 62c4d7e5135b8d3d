package io.livestore.registry;

import io.livestore.store.StoreOpener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Moves a store's local files aside instead of deleting them (cluster mode, Y6, Y12): a cache file the
 * loader cannot use may still hold the only copy of events its upstream log lacks (a single-node log
 * never pushed, acknowledged events the log lost in a restore), so it is renamed to
 * {@code <file>.orphaned-<UTC timestamp>} (with its {@code -wal}, {@code -shm}, {@code -journal}
 * companions as {@code <file>.orphaned-<UTC timestamp>-wal} and so on), next to it, where an operator
 * can open it with {@link StoreOpener} under its own name to recover them. Nothing is ever deleted.
 */
final class OrphanedFiles {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String[] COMPANIONS = {"", "-wal", "-shm", "-journal"};

    private OrphanedFiles() {
    }

    /**
     * Renames the store's files aside; returns the new name of the database file, or empty when the
     * store has no file (in memory, or none yet).
     */
    static Optional<String> moveAside(StoreOpener<?> opener, String storeId) throws IOException {
        Optional<Path> file = opener.databaseFile(storeId);
        if (file.isEmpty() || !Files.exists(file.get())) {
            return Optional.empty();
        }
        Path db = file.get();
        String base = db.getFileName() + ".orphaned-" + STAMP.format(Instant.now());
        String name = base;
        for (int n = 2; Files.exists(db.resolveSibling(name)); n++) {
            name = base + "-" + n; // two within one millisecond
        }
        for (String suffix : COMPANIONS) {
            Path from = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(from)) {
                Files.move(from, db.resolveSibling(name + suffix));
            }
        }
        return Optional.of(name);
    }
}
