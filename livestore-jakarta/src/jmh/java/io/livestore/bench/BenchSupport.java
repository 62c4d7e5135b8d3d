package io.livestore.bench;

import io.livestore.store.CompiledSchema;
import io.livestore.store.Durability;
import io.livestore.store.Event;
import io.livestore.store.NodeIdentity;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.EventIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/** Shared plumbing of the benchmarks: temporary directories, openers, and the raw JDBC baseline setup. */
final class BenchSupport {

    static final String DEFINITION = "item";
    static final String STORE_ID = "bench-1";

    /** Compiled once per JVM, as a registry does per definition. */
    static final CompiledSchema<BenchSchema> SCHEMA = CompiledSchema.of(BenchSchema.class);
    static final CompiledSchema<BenchSchema.V2> SCHEMA_V2 = CompiledSchema.of(BenchSchema.V2.class);

    /** The same table as the store's log (format 2, Y1), for the baselines. */
    static final String EVENTS_DDL = "CREATE TABLE events (seq_num INTEGER PRIMARY KEY, "
            + "parent_seq_num INTEGER NOT NULL CHECK (parent_seq_num = seq_num - 1), name TEXT NOT NULL, "
            + "args TEXT NOT NULL, client_id TEXT NOT NULL, session_id TEXT NOT NULL, created_at INTEGER NOT NULL, "
            + "event_id TEXT NOT NULL UNIQUE)";
    static final String INSERT_EVENT = "INSERT INTO events (seq_num, parent_seq_num, name, args, client_id, "
            + "session_id, created_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    static final String ITEM_ADDED = "v1.ItemAdded";

    private BenchSupport() {
    }

    /** Writes one log row as the store does: the same columns, an event id made the same way. */
    static void insertEvent(PreparedStatement ev, long seq, String name, String args, long createdAt) throws SQLException {
        ev.setLong(1, seq);
        ev.setLong(2, seq - 1);
        ev.setString(3, name);
        ev.setString(4, args);
        ev.setString(5, NodeIdentity.ofThisProcess().nodeId());
        ev.setString(6, NodeIdentity.processSessionId());
        ev.setLong(7, createdAt);
        ev.setString(8, EventIds.next());
        ev.executeUpdate();
    }

    /** A fresh directory under target/ (the working directory is the project's). */
    static Path newDir(String prefix) {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "bench-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; null-safe. */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An opener for the benchmark schema with files under {@code dir}, default durability (PROCESS_CRASH). */
    static StoreOpener<BenchSchema> opener(Path dir) {
        return StoreOpener.builder(DEFINITION, SCHEMA).storage(StoreStorage.directory(dir))
                .durability(Durability.PROCESS_CRASH).build();
    }

    /** An opener for the version-2 schema (rebuilds stores written with version 1). */
    static StoreOpener<BenchSchema.V2> openerV2(Path dir) {
        return StoreOpener.builder(DEFINITION, SCHEMA_V2).storage(StoreStorage.directory(dir))
                .durability(Durability.PROCESS_CRASH).build();
    }

    /** Commits {@code count} ItemAdded events numbered from {@code from}, in batches of 1000. */
    static void fill(Store<?> store, long from, int count) {
        List<Event> batch = new ArrayList<>(1000);
        for (long i = from; i < from + count; i++) {
            batch.add(new BenchSchema.ItemAdded(BenchSchema.itemId(i), BenchSchema.title(i), i));
            if (batch.size() == 1000) {
                store.commit(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.commit(batch);
        }
    }

    /**
     * A raw sqlite-jdbc connection to {@code file} with the store's pragmas and driver settings, in the store's order:
     * exclusive locking, WAL, synchronous=NORMAL (= Durability.PROCESS_CRASH).
     */
    static Connection openJdbc(Path file) throws SQLException {
        // The store's driver settings too: no generated-keys query after each INSERT.
        Properties p = new Properties();
        p.setProperty("jdbc.get_generated_keys", "false");
        return openJdbc(file, p);
    }

    /** {@link #openJdbc(Path)} with driver properties (e.g. {@code jdbc.get_generated_keys=false}). */
    static Connection openJdbc(Path file, Properties driverProperties) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, driverProperties);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA locking_mode = EXCLUSIVE");
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                if (!rs.next() || !rs.getString(1).toLowerCase(Locale.ROOT).equals("wal")) {
                    throw new SQLException("WAL not enabled");
                }
            }
            st.execute("PRAGMA synchronous = NORMAL");
        }
        return c;
    }

    /** Creates the baseline's events and item tables. */
    static void createJdbcTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(EVENTS_DDL);
            st.execute(BenchSchema.ITEM_DDL);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
