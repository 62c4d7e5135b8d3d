package io.livestore.store.internal;

import io.livestore.store.BootReport;
import io.livestore.store.CancellationSignal;
import io.livestore.store.CommittedEvent;
import io.livestore.store.CompiledSchema;
import io.livestore.store.StoreLoadCancelledException;
import io.livestore.store.StoreOpenException;
import io.livestore.store.StoreRebuildException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Boot (S3): brings a store's tables in line with its schema, in one transaction that the store
 * opens and ends — creates a new store, accepts matching tables, or drops and rebuilds them from the
 * log when the schema hash changed. A crash or cancellation part-way leaves the previous state, and
 * the next open simply starts over. Runs under the store's lock, once, before the store is handed out.
 */
public final class StoreBoot {

    /** Version of the library's own table layout; part of the schema hash so a layout change rebuilds. */
    public static final int FORMAT_VERSION = 1;

    private static final String CREATE_META =
            "CREATE TABLE IF NOT EXISTS __livestore_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID";
    private static final String CREATE_EVENTS = "CREATE TABLE __livestore_events (seq INTEGER PRIMARY KEY, "
            + "name TEXT NOT NULL, payload TEXT NOT NULL, committed_at INTEGER NOT NULL)";

    private final SqliteStore<?> store;
    private final CompiledSchema<?> schema;
    private final Connection connection;
    private final StatementCache statements;
    private long head;

    StoreBoot(SqliteStore<?> store, CompiledSchema<?> schema, Connection connection, StatementCache statements) {
        this.store = store;
        this.schema = schema;
        this.connection = connection;
        this.statements = statements;
    }

    /** The log's head after {@link #run}. */
    long head() {
        return head;
    }

    /** Runs inside the store's boot transaction. */
    BootReport run(int batchSize, CancellationSignal cancel, long startNanos) throws SQLException {
        execute(CREATE_META);
        String storedHash = meta("schema_hash");
        String hash = schema.hash();
        if (storedHash == null) {
            if (tableExists("__livestore_events")) {
                throw new StoreOpenException(store.where() + ": the file has an event log but no metadata; it was not "
                        + "written by this library or is damaged");
            }
            execute(CREATE_EVENTS);
            runDdl();
            putMeta("format", Integer.toString(FORMAT_VERSION));
            putMeta("definition", store.definitionName());
            putMeta("store_id", store.storeId());
            putMeta("schema_hash", hash);
            head = 0;
            return report(BootReport.Outcome.CREATED, 0, null, startNanos);
        }
        String storedId = meta("store_id");
        String storedDefinition = meta("definition");
        if (!store.storeId().equals(storedId) || !store.definitionName().equals(storedDefinition)) {
            throw new StoreOpenException(store.where() + ": the file belongs to store '" + storedId + "' of definition '"
                    + storedDefinition + "'; store files must not be renamed or copied between ids");
        }
        head = lastSeq();
        if (hash.equals(storedHash)) {
            return report(BootReport.Outcome.OPENED, 0, null, startNanos);
        }
        dropApplicationObjects();
        runDdl();
        long replayed = replay(batchSize, cancel);
        putMeta("schema_hash", hash);
        return report(BootReport.Outcome.REBUILT, replayed, storedHash, startNanos);
    }

    private BootReport report(BootReport.Outcome outcome, long replayed, String previous, long startNanos) {
        return new BootReport(store.storeId(), outcome, head, replayed, schema.hash(), previous,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private long replay(int batchSize, CancellationSignal cancel) throws SQLException {
        MaterializingTransaction tx = new MaterializingTransaction(store, false);
        long after = 0;
        long replayed = 0;
        while (true) {
            checkCancelled(store, cancel);
            List<CommittedEvent> batch = store.readEvents(after, batchSize);
            if (batch.isEmpty()) {
                return replayed;
            }
            for (CommittedEvent e : batch) {
                tx.seq = e.seq();
                try {
                    ApiAccess.schemas().typeNamed(schema, e.name()).materializer().materialize(e.event(), tx);
                } catch (Exception ex) {
                    throw new StoreRebuildException(store.where() + ": rebuilding the tables failed at event " + e.seq()
                            + " '" + e.name() + "': " + ex + "; the store was left as it was", ex);
                }
                after = e.seq();
                replayed++;
            }
        }
    }

    static void checkCancelled(SqliteStore<?> store, CancellationSignal cancel) {
        if (cancel.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new StoreLoadCancelledException(store.where() + ": opening was cancelled"
                    + (Thread.currentThread().isInterrupted() ? " (thread interrupted)" : ""));
        }
    }

    private void execute(String sql) throws SQLException {
        statements.get(sql).statement.execute();
    }

    private void runDdl() throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String ddl : schema.ddl()) {
                st.execute(ddl);
            }
        }
    }

    private void dropApplicationObjects() throws SQLException {
        List<String[]> objects = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger', "
                     + "'table') AND name NOT LIKE '\\_\\_livestore%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                objects.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        // Views and triggers first: they may refer to tables.
        objects.sort(Comparator.comparing(o -> o[0].equals("table") ? 1 : 0));
        try (Statement st = connection.createStatement()) {
            for (String[] o : objects) {
                st.execute("DROP " + o[0].toUpperCase(Locale.ROOT) + " IF EXISTS \"" + o[1].replace("\"", "\"\"") + "\"");
            }
        }
        statements.closeAll();
    }

    private boolean tableExists(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private long lastSeq() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM __livestore_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String meta(String key) throws SQLException {
        PreparedStatement ps = statements.get("SELECT value FROM __livestore_meta WHERE key = ?").statement;
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void putMeta(String key, String value) throws SQLException {
        PreparedStatement ps = statements.get("INSERT OR REPLACE INTO __livestore_meta (key, value) VALUES (?, ?)").statement;
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
    }
}
