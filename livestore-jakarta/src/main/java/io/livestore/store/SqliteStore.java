package io.livestore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The SQLite-backed {@link Store}: one file (or in-memory database) holding the event log and the
 * materialized tables, so a commit's log rows and table writes share one transaction (S1).
 *
 * <p>One connection per store, guarded by one lock: stores are small and many, and a second
 * connection would double the per-store memory for a concurrency that a point query (microseconds)
 * does not need. The lock also serializes commits (S6) and orders subscription deliveries.
 */
final class SqliteStore<S extends Schema> implements Store<S> {

    private static final System.Logger LOG = System.getLogger(SqliteStore.class.getName());

    static final String INSERT_EVENT =
            "INSERT INTO __livestore_events (seq, name, payload, committed_at) VALUES (?, ?, ?, ?)";
    static final String SELECT_EVENTS =
            "SELECT seq, name, payload, committed_at FROM __livestore_events WHERE seq > ? ORDER BY seq LIMIT ?";

    private final String definitionName;
    private final String storeId;
    private final CompiledSchema<S> schema;
    private final Connection connection;
    private final StatementCache statements;
    private TableDependencies dependencies;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<LiveQuery<?>> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile String closedBecause;
    private long head;
    private boolean inCommit;
    private BootReport bootReport;

    SqliteStore(String definitionName, String storeId, CompiledSchema<S> schema, Connection connection, Clock clock) {
        this.definitionName = definitionName;
        this.storeId = storeId;
        this.schema = schema;
        this.connection = connection;
        this.statements = new StatementCache(connection, 64);
        this.clock = clock;
    }

    @Override
    public String storeId() {
        return storeId;
    }

    @Override
    public String definitionName() {
        return definitionName;
    }

    @Override
    public long head() {
        lock.lock();
        try {
            ensureOpen();
            return head;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public BootReport bootReport() {
        return bootReport;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreClosedException("store '" + storeId + "' of definition '" + definitionName + "' is closed"
                    + (closedBecause == null ? "" : " (" + closedBecause + ")")
                    + "; get the store again from its registry or lease");
        }
    }

    private String where() {
        return "store '" + storeId + "' (definition '" + definitionName + "')";
    }

    // ---------------------------------------------------------------- commit

    @Override
    public long commit(Event... events) {
        return commit(events == null ? List.of() : java.util.Arrays.asList(events));
    }

    @Override
    public long commit(List<? extends Event> events) {
        try {
            return commitEvents(events);
        } catch (LiveStoreException e) {
            throw e.concerning(definitionName, storeId); // so an error response can name the store
        }
    }

    private long commitEvents(List<? extends Event> events) {
        Objects.requireNonNull(events, "events");
        int n = events.size();
        // S2: everything that can be checked without the database is checked before the lock and
        // before anything is written; encoding here also keeps JSON work out of the serialized section.
        EventType[] types = new EventType[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            if (e == null) {
                throw new InvalidEventException(where() + ": event #" + i + " is null; nothing was written");
            }
            EventType t = schema.typeOf(e.getClass());
            if (t == null) {
                throw new UnknownEventException(where() + ": event #" + i + " of type " + e.getClass().getName()
                        + " is not declared by schema " + schema.schemaClass().getName() + " (declared: "
                        + new java.util.TreeSet<>(schema.eventNames()) + "); nothing was written");
            }
            t.validate(e, storeId, i);
            try {
                payloads[i] = t.codec().encode(e);
            } catch (JsonProcessingException ex) {
                throw new InvalidEventException(where() + ": event #" + i + " " + t.name()
                        + " cannot be encoded as JSON: " + ex.getOriginalMessage() + "; nothing was written", ex);
            }
            types[i] = t;
        }
        lock.lock();
        try {
            ensureOpen();
            if (inCommit) {
                throw new IllegalStateException(where() + ": commit called from inside a materializer; "
                        + "materializers write through their Transaction only");
            }
            if (n == 0) {
                return head;
            }
            inCommit = true;
            try {
                return commitLocked(events, types, payloads);
            } finally {
                inCommit = false;
            }
        } finally {
            lock.unlock();
        }
    }

    private long commitLocked(List<? extends Event> events, EventType[] types, String[] payloads) {
        long now = clock.millis();
        long first = head + 1;
        MaterializingTransaction tx = new MaterializingTransaction(true);
        try {
            begin();
            PreparedStatement insert = statements.get(INSERT_EVENT).statement;
            for (int i = 0; i < types.length; i++) {
                long seq = first + i;
                insert.setLong(1, seq);
                insert.setString(2, types[i].name());
                insert.setString(3, payloads[i]);
                insert.setLong(4, now);
                insert.executeUpdate();
                tx.seq = seq;
                try {
                    types[i].materializer().materialize(events.get(i), tx);
                } catch (Exception e) {
                    throw new MaterializerException(where() + ": materializer for event #" + i + " "
                            + types[i].name() + " (seq " + seq + ") failed: " + e + "; the commit of "
                            + types.length + " event(s) was rolled back", e);
                }
            }
            commitTransaction();
        } catch (MaterializerException e) {
            rollbackAfter(e);
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollbackAfter(e);
            throw new CommitFailedException(where() + ": SQLite refused the commit of " + types.length
                    + " event(s): " + e.getMessage() + "; it was rolled back", e);
        } catch (Error e) {
            rollbackAfter(e);
            throw e;
        } finally {
            tx.active = false;
        }
        head = first + types.length - 1;
        notifySubscribers(tx.written.result());
        return head;
    }

    private void execute(String sql) throws SQLException {
        statements.get(sql).statement.execute();
    }

    // Transactions go through the driver's auto-commit switch (the connection is opened with
    // transaction_mode=IMMEDIATE): issuing BEGIN/COMMIT as statements makes sqlite-jdbc attempt its own
    // "begin" after every statement inside the transaction, which measured ~10% of a batch commit.

    private void begin() throws SQLException {
        connection.setAutoCommit(false);
    }

    private void commitTransaction() throws SQLException {
        connection.setAutoCommit(true);
    }

    private void rollback() throws SQLException {
        if (connection.getAutoCommit()) {
            return; // the transaction never began, or the driver already ended it
        }
        try {
            connection.rollback();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void rollbackAfter(Throwable failure) {
        try {
            rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
            // The connection's transaction state is unknown: refuse further use rather than risk S1.
            LOG.log(Level.ERROR, where() + ": rollback failed, closing the store", rollbackFailure);
            closeLocked("rollback failed after: " + failure);
        }
    }

    /** The write handle given to materializers; collects the tables it writes. */
    private final class MaterializingTransaction implements Transaction {
        final Tables.Accumulator written = new Tables.Accumulator();
        /** False during a rebuild: nobody subscribes before boot ends, so writes need not be tracked. */
        final boolean trackWrites;
        long seq;
        boolean active = true;

        MaterializingTransaction(boolean trackWrites) {
            this.trackWrites = trackWrites;
        }

        @Override
        public int execute(String sql, Object... args) {
            requireActive();
            try {
                StatementCache.Prepared p = prepare(sql, args);
                if (trackWrites) {
                    if (p.writes == null) {
                        p.writes = dependencies.of(connection, sql, true);
                    }
                    written.add(p.writes);
                }
                return p.statement.executeUpdate();
            } catch (SQLException e) {
                throw new QueryException(where() + ": statement '" + sql + "' failed: " + e.getMessage(), e);
            }
        }

        @Override
        public <T> T query(Query<T> query) {
            requireActive();
            return runQuery(query, false);
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public String storeId() {
            return storeId;
        }

        private void requireActive() {
            if (!active) {
                throw new IllegalStateException(where() + ": a Transaction is valid only during its materializer call");
            }
        }
    }

    private StatementCache.Prepared prepare(String sql, Object[] args) throws SQLException {
        StatementCache.Prepared p = statements.get(sql);
        Object[] values = args == null ? new Object[] {null} : args;
        if (values.length != p.parameterCount) {
            throw new QueryException(where() + ": statement '" + sql + "' has " + p.parameterCount
                    + " parameter(s) but " + values.length + " value(s) were given");
        }
        for (int i = 0; i < values.length; i++) {
            try {
                SqlValues.bind(p.statement, i + 1, values[i]);
            } catch (IllegalArgumentException e) {
                throw new QueryException(where() + ": statement '" + sql + "': " + e.getMessage(), e);
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- query

    @Override
    public <T> T query(Query<T> query) {
        Objects.requireNonNull(query, "query");
        lock.lock();
        try {
            ensureOpen();
            return runQuery(query, true);
        } catch (LiveStoreException e) {
            throw e.concerning(definitionName, storeId);
        } finally {
            lock.unlock();
        }
    }

    private <T> T runQuery(Query<T> query, boolean readOnly) {
        String sql = query.sql();
        try {
            StatementCache.Prepared p = prepare(sql, query.argsArray());
            if (readOnly) {
                if (p.writes == null) {
                    p.writes = dependencies.of(connection, sql, true);
                }
                if (!p.writes.isEmpty()) {
                    throw new QueryException(where() + ": query '" + sql + "' writes to the database; "
                            + "tables change only through committed events");
                }
            }
            try (ResultSet rs = p.statement.executeQuery()) {
                return query.read(rs);
            }
        } catch (SQLException e) {
            throw new QueryException(where() + ": query '" + sql + "' failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- subscriptions

    @Override
    public <T> Subscription subscribe(Query<T> query, Consumer<? super T> onResult) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(onResult, "onResult");
        lock.lock();
        try {
            ensureOpen();
            Tables reads;
            try {
                reads = dependencies.of(connection, query.sql(), false);
            } catch (SQLException e) {
                throw new QueryException(where() + ": query '" + query.sql() + "' failed: " + e.getMessage(), e);
            }
            T initial = runQuery(query, true);
            LiveQuery<T> live = new LiveQuery<>(query, reads, onResult, initial);
            onResult.accept(initial);
            subscriptions.add(live);
            return live;
        } finally {
            lock.unlock();
        }
    }

    private void notifySubscribers(Tables written) {
        for (LiveQuery<?> live : subscriptions) {
            if (live.reads.overlaps(written)) {
                live.refresh();
            }
        }
    }

    /** A subscription: its query, the tables it reads and the last result delivered. */
    private final class LiveQuery<T> implements Subscription {
        final Query<T> query;
        final Tables reads;
        final Consumer<? super T> listener;
        T last;

        LiveQuery(Query<T> query, Tables reads, Consumer<? super T> listener, T initial) {
            this.query = query;
            this.reads = reads;
            this.listener = listener;
            this.last = initial;
        }

        void refresh() {
            T result;
            try {
                result = runQuery(query, true);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, where() + ": subscription query failed after a commit", e);
                return;
            }
            if (Objects.equals(result, last)) {
                return;
            }
            last = result;
            try {
                listener.accept(result);
            } catch (RuntimeException e) {
                // A broken listener must not fail a commit that is already durable, nor starve other listeners.
                LOG.log(Level.WARNING, where() + ": subscription listener threw; it stays subscribed", e);
            }
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    // ---------------------------------------------------------------- log

    @Override
    public List<CommittedEvent> eventsSince(long seq) {
        return eventsSince(seq, Integer.MAX_VALUE);
    }

    @Override
    public List<CommittedEvent> eventsSince(long seq, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        lock.lock();
        try {
            ensureOpen();
            return readEvents(seq, limit);
        } catch (SQLException e) {
            throw new QueryException(where() + ": reading the log failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    List<CommittedEvent> readEvents(long afterSeq, int limit) throws SQLException {
        PreparedStatement ps = statements.get(SELECT_EVENTS).statement;
        ps.setLong(1, afterSeq);
        ps.setLong(2, limit);
        List<CommittedEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                String name = rs.getString(2);
                out.add(new CommittedEvent(seq, name, decode(schema, storeId, seq, name, rs.getString(3)),
                        Instant.ofEpochMilli(rs.getLong(4))));
            }
        }
        return out;
    }

    static Event decode(CompiledSchema<?> schema, String storeId, long seq, String name, String payload) {
        EventType t = schema.typeNamed(name);
        if (t == null) {
            throw new StoreRebuildException("store '" + storeId + "': event " + seq + " in the log is '" + name
                    + "', which schema " + schema.schemaClass().getName() + " no longer declares; keep a record"
                    + " and materializer for every event name a log may contain");
        }
        try {
            return t.codec().decode(payload);
        } catch (JsonProcessingException e) {
            throw new StoreRebuildException("store '" + storeId + "': event " + seq + " '" + name
                    + "' cannot be decoded into " + t.javaType().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- boot (S3)

    private static final String CREATE_META =
            "CREATE TABLE IF NOT EXISTS __livestore_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID";
    private static final String CREATE_EVENTS = "CREATE TABLE __livestore_events (seq INTEGER PRIMARY KEY, "
            + "name TEXT NOT NULL, payload TEXT NOT NULL, committed_at INTEGER NOT NULL)";

    /**
     * Brings the tables in line with the schema, in one transaction: creates a new store, accepts
     * matching tables, or drops and rebuilds them from the log when the schema hash changed. A crash
     * or cancellation part-way leaves the previous state, and the next open simply starts over.
     */
    BootReport boot(int batchSize, CancellationSignal cancel, long startNanos) throws SQLException {
        lock.lock();
        try {
            checkCancelled(cancel);
            begin();
            try {
                BootReport report = bootInTransaction(batchSize, cancel, startNanos);
                commitTransaction();
                statements.closeAll();
                dependencies = TableDependencies.load(connection);
                bootReport = report;
                return report;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private BootReport bootInTransaction(int batchSize, CancellationSignal cancel, long startNanos) throws SQLException {
        execute(CREATE_META);
        String storedHash = meta("schema_hash");
        String hash = schema.hash();
        if (storedHash == null) {
            if (tableExists("__livestore_events")) {
                throw new StoreOpenException(where() + ": the file has an event log but no metadata; it was not "
                        + "written by this library or is damaged");
            }
            execute(CREATE_EVENTS);
            runDdl();
            putMeta("format", Integer.toString(CompiledSchema.FORMAT_VERSION));
            putMeta("definition", definitionName);
            putMeta("store_id", storeId);
            putMeta("schema_hash", hash);
            head = 0;
            return report(BootReport.Outcome.CREATED, 0, null, startNanos);
        }
        String storedId = meta("store_id");
        String storedDefinition = meta("definition");
        if (!storeId.equals(storedId) || !definitionName.equals(storedDefinition)) {
            throw new StoreOpenException(where() + ": the file belongs to store '" + storedId + "' of definition '"
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
        return new BootReport(storeId, outcome, head, replayed, schema.hash(), previous,
                java.time.Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private long replay(int batchSize, CancellationSignal cancel) throws SQLException {
        MaterializingTransaction tx = new MaterializingTransaction(false);
        long after = 0;
        long replayed = 0;
        while (true) {
            checkCancelled(cancel);
            List<CommittedEvent> batch = readEvents(after, batchSize);
            if (batch.isEmpty()) {
                return replayed;
            }
            for (CommittedEvent e : batch) {
                tx.seq = e.seq();
                try {
                    schema.typeNamed(e.name()).materializer().materialize(e.event(), tx);
                } catch (Exception ex) {
                    throw new StoreRebuildException(where() + ": rebuilding the tables failed at event " + e.seq()
                            + " '" + e.name() + "': " + ex + "; the store was left as it was", ex);
                }
                after = e.seq();
                replayed++;
            }
        }
    }

    private void checkCancelled(CancellationSignal cancel) {
        if (cancel.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new StoreLoadCancelledException(where() + ": opening was cancelled"
                    + (Thread.currentThread().isInterrupted() ? " (thread interrupted)" : ""));
        }
    }

    private void runDdl() throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            for (String ddl : schema.ddl()) {
                st.execute(ddl);
            }
        }
    }

    private void dropApplicationObjects() throws SQLException {
        List<String[]> objects = new ArrayList<>();
        try (java.sql.Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger', "
                     + "'table') AND name NOT LIKE '\\_\\_livestore%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                objects.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        // Views and triggers first: they may refer to tables.
        objects.sort(java.util.Comparator.comparing(o -> o[0].equals("table") ? 1 : 0));
        try (java.sql.Statement st = connection.createStatement()) {
            for (String[] o : objects) {
                st.execute("DROP " + o[0].toUpperCase(java.util.Locale.ROOT) + " IF EXISTS \"" + o[1].replace("\"", "\"\"") + "\"");
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
        try (java.sql.Statement st = connection.createStatement();
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

    private void rollbackQuietly() {
        try {
            rollback();
        } catch (SQLException ignored) {
            // No transaction was active, or the connection is about to be closed by the caller anyway.
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked(null);
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked(String reason) {
        if (closed) {
            return;
        }
        closedBecause = reason;
        closed = true;
        subscriptions.clear();
        statements.closeAll();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, where() + ": closing the SQLite connection failed", e);
        }
    }
}
