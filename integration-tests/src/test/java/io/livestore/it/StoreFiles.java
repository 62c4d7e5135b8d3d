package io.livestore.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

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
     * Whether another process holds the store: the library opens stores with {@code locking_mode=EXCLUSIVE},
     * so while the server has the file open, taking a write lock here fails at once.
     */
    static boolean heldByAnotherProcess(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("BEGIN IMMEDIATE");
            s.execute("ROLLBACK");
            return false;
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("SQLITE_BUSY") || message.contains("locked")) {
                return true;
            }
            throw new IllegalStateException("cannot check " + file + ": " + message, e);
        }
    }
}
