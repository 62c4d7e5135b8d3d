package io.livestore.example.issuetracker;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.example.issuetracker.embedded.EmbeddedServer;
import io.livestore.registry.StoreRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The example started for a test as {@code -Prun} starts it — embedded, on 127.0.0.1 — but on a free
 * port and with a fresh data directory under {@code target/test-data}.
 *
 * @param server  the running server
 * @param dataDir its data directory
 * @param api     a client of its API
 */
public record RunningTracker(EmbeddedServer server, Path dataDir, ApiClient api) implements AutoCloseable {

    /**
     * Starts the example with an empty data directory {@code target/test-data/<name>-<random>}.
     *
     * @param extraBeans further CDI beans (a {@code RegistryOptions} producer, say)
     */
    public static RunningTracker start(String name, Class<?>... extraBeans) {
        return startOn(freshDirectory(name), extraBeans);
    }

    /** Starts the example on an existing data directory (to see what a restart keeps). */
    public static RunningTracker startOn(Path dataDir, Class<?>... extraBeans) {
        // Read once, by the registry, which the server creates while it starts.
        System.setProperty(LiveStoreConfig.DATA_DIR, dataDir.toString());
        try {
            EmbeddedServer server = EmbeddedServer.start(0, extraBeans);
            return new RunningTracker(server, dataDir, new ApiClient(server.uri()));
        } finally {
            System.clearProperty(LiveStoreConfig.DATA_DIR);
        }
    }

    /** The application's registry. */
    public StoreRegistry registry() {
        return server.bean(StoreRegistry.class);
    }

    /** Where a store's SQLite file is (ids are lower case, so the file name is the id). */
    public Path storeFile(String definition, String storeId) {
        return dataDir.resolve(definition).resolve(storeId + ".db");
    }

    @Override
    public void close() {
        server.close();
    }

    /** A new, empty directory under {@code target/test-data} (tests run in the module's directory). */
    public static Path freshDirectory(String name) {
        try {
            Path parent = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(parent, name + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
