package io.livestore.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The server's store files, looked at from the test's own process. */
final class StoreFiles {

    private StoreFiles() {
    }

    /** {@code <data-dir>/<definition>/<storeId>.db}; the tests use lower-case ids, which map to themselves. */
    static Path of(String definition, String storeId) {
        return Server.dataDir().resolve(definition).resolve(storeId + ".db");
    }

    static Path walOf(Path file) {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    /**
     * Whether another process holds the store: the library opens stores with SQLite's exclusive locking,
     * so while the server has the file open, a lock on the whole file cannot be had. Checked with a plain
     * file lock, not through SQLite, because opening the file with SQLite would also recover and remove a
     * write-ahead log left behind, hiding whether the server closed the store cleanly.
     */
    static boolean heldByAnotherProcess(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + file, e);
        }
    }
}
