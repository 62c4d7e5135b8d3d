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
import java.util.UUID;

/**
 * Boot (S3): brings a store's file in line with this version and its schema, in one transaction —
 * creates a new store, migrates an older log format ({@link LogFormatMigration}), accepts matching
 * tables, or drops and rebuilds them from the log when the schema hash changed. A crash, failure or
 * cancellation part-way leaves the previous state, and the next open simply starts over. Runs under the
 * store's lock, once, before the store is handed out.
 */
public final class StoreBoot {

    private static final System.Logger LOG = System.getLogger(StoreBoot.class.getName());

    /**
     * Version of the log and metadata layout in the file (meta {@code format}): 2 is the log format Y1
     * ({@link LogTable}); files of format 1 are migrated when opened; newer ones are refused.
     */
    public static final int FORMAT_VERSION = 2;

    /**
     * Version of how the library lays out materialized state; part of the schema hash, so changing it
     * rebuilds every store's tables. Separate from {@link #FORMAT_VERSION}: the log format's change to 2
     * left the tables as they were, so migrated stores keep their tables instead of replaying their logs.
     */
    public static final int TABLES_FORMAT = 1;

    private final SqliteStore<?> store;
    private final CompiledSchema<?> schema;
    private final Connection connection;
    private final StatementCache statements;
    private long head;
    private String backendId;

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

    /** The log's backendId after {@link #run}. */
    String backendId() {
        return backendId;
    }

    /** Runs {@link #run} in a transaction of its own; on any failure the file is left as it was. */
    BootReport runInTransaction(int batchSize, CancellationSignal cancel, long startNanos) throws SQLException {
        checkCancelled(store, cancel);
        SqliteTransactions.begin(connection);
        try {
            BootReport report = run(batchSize, cancel, startNanos);
            SqliteTransactions.commit(connection);
            statements.closeAll();
            return report;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                SqliteTransactions.rollback(connection);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure); // the caller closes the connection anyway
            }
            throw e;
        }
    }

    /** Runs inside the store's boot transaction. */
    BootReport run(int batchSize, CancellationSignal cancel, long startNanos) throws SQLException {
        execute(StoreMeta.CREATE);
        String storedHash = meta(StoreMeta.SCHEMA_HASH);
        String hash = schema.hash();
        if (storedHash == null) {
            if (tableExists("__livestore_events")) {
                throw new StoreOpenException(store.where() + ": the file has an event log but no metadata; it was not "
                        + "written by this library or is damaged");
            }
            execute(LogTable.CREATE);
            runDdl();
            backendId = UUID.randomUUID().toString(); // single-node mode: this file is where the log is created
            putMeta(StoreMeta.FORMAT, Integer.toString(FORMAT_VERSION));
            putMeta(StoreMeta.DEFINITION, store.definitionName());
            putMeta(StoreMeta.STORE_ID, store.storeId());
            putMeta(StoreMeta.SCHEMA_HASH, hash);
            putMeta(StoreMeta.BACKEND_ID, backendId);
            head = 0;
            return report(BootReport.Outcome.CREATED, 0, null, startNanos);
        }
        String storedId = meta(StoreMeta.STORE_ID);
        String storedDefinition = meta(StoreMeta.DEFINITION);
        if (!store.storeId().equals(storedId) || !store.definitionName().equals(storedDefinition)) {
            throw new StoreOpenException(store.where() + ": the file belongs to store '" + storedId + "' of definition '"
                    + storedDefinition + "'; store files must not be renamed or copied between ids");
        }
        migrateLog(cancel);
        backendId = meta(StoreMeta.BACKEND_ID);
        if (backendId == null) {
            throw new StoreOpenException(store.where() + ": the file's metadata has no backendId; it is damaged");
        }
        head = LogTable.head(connection);
        if (hash.equals(storedHash)) {
            return report(BootReport.Outcome.OPENED, 0, null, startNanos);
        }
        dropApplicationObjects();
        runDdl();
        long replayed = replay(batchSize, cancel);
        putMeta(StoreMeta.SCHEMA_HASH, hash);
        return report(BootReport.Outcome.REBUILT, replayed, storedHash, startNanos);
    }

    /** Brings an older log format to {@link #FORMAT_VERSION}; refuses a newer one. */
    private void migrateLog(CancellationSignal cancel) throws SQLException {
        String stored = meta(StoreMeta.FORMAT);
        int format;
        try {
            format = Integer.parseInt(String.valueOf(stored));
        } catch (NumberFormatException e) {
            throw new StoreOpenException(store.where() + ": the file's metadata has format '" + stored
                    + "', not a number; it is damaged");
        }
        if (format == FORMAT_VERSION) {
            return;
        }
        if (format != 1) {
            throw new StoreOpenException(store.where() + ": the file has format " + format + "; this version of the "
                    + "library reads formats 1 to " + FORMAT_VERSION + " (a newer version wrote it: open it with that one)");
        }
        long migrated = LogFormatMigration.fromFormat1(store, connection, cancel);
        statements.closeAll(); // statements prepared on the old log table must not be reused
        putMeta(StoreMeta.FORMAT, Integer.toString(FORMAT_VERSION));
        putMeta(StoreMeta.BACKEND_ID, UUID.randomUUID().toString());
        LOG.log(System.Logger.Level.INFO, () -> store.where() + ": migrating the log from format 1 to " + FORMAT_VERSION
                + " (" + migrated + " events), committed with the rest of the boot");
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
                if (e.event() instanceof io.livestore.store.UnrecognizedEvent) {
                    after = e.seq();
                    replayed++;
                    continue; // kept, never materialized (Schema#keepUnknownEvents)
                }
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

    private String meta(String key) throws SQLException {
        return StoreMeta.get(statements, key);
    }

    private void putMeta(String key, String value) throws SQLException {
        StoreMeta.put(statements, key, value);
    }
}
