package io.livestore.store.internal;

import io.livestore.store.BootReport;
import io.livestore.store.CancellationSignal;
import io.livestore.store.CommittedEvent;
import io.livestore.store.CompiledSchema;
import io.livestore.store.Event;
import io.livestore.store.LiveStoreException;
import io.livestore.store.NodeIdentity;
import io.livestore.store.Query;
import io.livestore.store.QueryException;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreClosedException;
import io.livestore.store.Subscription;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The SQLite-backed {@link Store}: one file (or in-memory database) holding the event log and the
 * materialized tables, so a commit's log rows and table writes share one transaction (S1).
 *
 * <p>One connection per store, guarded by one lock: stores are small and many, and a second
 * connection would double the per-store memory for a concurrency that a point query (microseconds)
 * does not need. The lock also serializes commits (S6) and orders subscription deliveries. Events
 * applied from an upstream log ({@link LocalLog#apply}) take the commit's path under the same lock.
 */
public final class SqliteStore<S extends Schema> implements Store<S> {

    private static final System.Logger LOG = System.getLogger(SqliteStore.class.getName());

    private final String definitionName;
    private final String storeId;
    private final CompiledSchema<S> schema;
    private final Connection connection;
    private final StatementCache statements;
    private final SqliteQueries queries;
    private TableDependencies dependencies;
    private final Clock clock;
    private final NodeIdentity writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Subscriptions subscriptions = new Subscriptions(this);
    private final SqliteLocalLog localLog = new SqliteLocalLog(this);
    private final LogTaps taps = new LogTaps();
    private volatile boolean closed;
    private volatile String closedBecause;
    private long head;
    /** True while materializers run: a commit from inside one is refused. */
    private boolean materializing;
    private BootReport bootReport;
    private volatile String backendId;
    /** The head as of the last write, readable without the lock (a notification's quick check). */
    private volatile long publishedHead;
    /** Set when the store's log lives upstream (cluster mode): commits go through it (Y3). */
    private UpstreamCommits upstream;

    /** @param writer who this store's commits say wrote them (Y1) */
    public SqliteStore(String definitionName, String storeId, CompiledSchema<S> schema, Connection connection, Clock clock,
                       NodeIdentity writer) {
        this.definitionName = definitionName;
        this.storeId = storeId;
        this.schema = schema;
        this.connection = connection;
        this.statements = new StatementCache(connection, 64);
        this.queries = new SqliteQueries(this, connection, statements);
        this.clock = clock;
        this.writer = writer;
    }

    /**
     * Makes commits go through {@code log} (cluster mode, Y3) with at most {@code maxAttempts} tries; set once,
     * by the opener, before the store is handed out.
     */
    public void commitThrough(io.livestore.store.spi.Upstream log, int maxAttempts) {
        this.upstream = new UpstreamCommits(this, Objects.requireNonNull(log, "log"), maxAttempts);
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

    void ensureOpen() {
        if (closed) {
            throw new StoreClosedException("store '" + storeId + "' of definition '" + definitionName + "' is closed"
                    + (closedBecause == null ? "" : " (" + closedBecause + ")")
                    + "; get the store again from its registry or lease");
        }
    }

    /** Names this store in messages. */
    String where() {
        return "store '" + storeId + "' (definition '" + definitionName + "')";
    }

    Connection connection() {
        return connection;
    }

    TableDependencies dependencies() {
        return dependencies;
    }

    /** The head, for code already holding the lock. */
    long headLocked() {
        return head;
    }

    StatementCache statements() {
        return statements;
    }

    SqliteQueries queries() {
        return queries;
    }

    CompiledSchema<S> schema() {
        return schema;
    }

    void materializing(boolean on) {
        materializing = on;
    }

    void reloadDependencies() throws SQLException {
        dependencies = TableDependencies.load(connection);
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
        return write(EventBatch.of(schema, events, writer, storeId, where()));
    }

    /** Writes a checked batch (a commit's, or one from the upstream log), then notifies subscriptions. */
    private long write(EventBatch batch) {
        lock.lock();
        try {
            ensureOpen();
            if (materializing) {
                throw new IllegalStateException(where() + ": " + (batch.fromUpstream() ? "apply" : "commit")
                        + " called from inside a materializer; materializers write through their Transaction only");
            }
            if (batch.size() == 0) {
                return head;
            }
            if (batch.fromUpstream() && batch.firstSeqNum != head + 1) {
                throw new IllegalStateException(where() + ": events from the upstream log must continue the local "
                        + "log at seqNum " + (head + 1) + ", the first has seqNum " + batch.firstSeqNum);
            }
            if (upstream != null && !batch.fromUpstream()) {
                return upstream.commit(batch, clock.millis()); // Y3: notifies subscriptions itself
            }
            Tables written = writeLocked(batch, clock.millis(), null);
            long committed = head;
            // Durable from here on: what listeners do cannot change this commit's outcome.
            subscriptions.committed(written);
            return committed;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: writes {@code batch} after the head and moves the head; subscriptions are the caller's. */
    Tables writeLocked(EventBatch batch, long now, Runnable beforeCommit) {
        long first = head + 1;
        Tables written = new LogWriter(this).write(batch, first, now, beforeCommit);
        head += batch.size();
        publishedHead = head;
        taps.written(batch, first, now); // durable here (upstream too, when beforeCommit appended there)
        return written;
    }

    /**
     * A batch pushed by a LiveStore client, checked (see {@link LocalLog#push}): written only when it continues
     * the log at its head; in cluster mode through the upstream log (which decides).
     */
    LocalLog.Pushed pushBatch(EventBatch batch) {
        lock.lock();
        try {
            ensureOpen();
            if (materializing) {
                throw new IllegalStateException(where() + ": push called from inside a materializer");
            }
            if (upstream != null) {
                return upstream.push(batch, clock.millis());
            }
            if (batch.size() == 0 || batch.firstSeqNum != head + 1) {
                return new LocalLog.Pushed(false, head);
            }
            Tables written = writeLocked(batch, clock.millis(), null);
            subscriptions.committed(written);
            return new LocalLog.Pushed(true, head);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: registers a listener of the log (see {@link LocalLog#tap}). */
    LocalLog.Tap tapLocked(LocalLog.Listener listener) {
        return taps.add(listener, head);
    }

    /** Under the lock: tells subscriptions about a durable write. */
    void notifyCommitted(Tables written) {
        subscriptions.committed(written);
    }

    // ---------------------------------------------------------------- query and subscriptions (SqliteQueries)

    @Override
    public <T> T query(Query<T> query) {
        Objects.requireNonNull(query, "query");
        lock.lock();
        try {
            ensureOpen();
            return queries.run(query, true);
        } catch (LiveStoreException e) {
            throw e.concerning(definitionName, storeId);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> Subscription subscribe(Query<T> query, Consumer<? super T> onResult) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(onResult, "onResult");
        lock.lock();
        try {
            ensureOpen();
            return subscriptions.add(query, queries.reads(query), onResult);
        } catch (LiveStoreException e) {
            throw e.concerning(definitionName, storeId);
        } finally {
            lock.unlock();
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
        return LogTable.readCommitted(statements, schema, storeId, afterSeq, limit);
    }

    // ---------------------------------------------------------------- local log (LocalLog)

    /** This store's log in the upstream SPI's shape, for the registry and sync layers. */
    public LocalLog localLog() {
        return localLog;
    }

    ReentrantLock lock() {
        return lock;
    }

    String backendId() {
        return backendId;
    }

    /** Under the lock, after the backendId was recorded in the file. */
    void backendIdRecorded(String id) {
        this.backendId = id;
    }

    long publishedHead() {
        return publishedHead;
    }

    UpstreamCommits upstreamCommits() {
        return upstream;
    }

    /** Applies a checked batch from the upstream log, as a commit writes (see {@link #write}). */
    long applyBatch(EventBatch batch) {
        return write(batch);
    }

    // ---------------------------------------------------------------- boot (S3)

    /** Runs {@link StoreBoot} in one transaction; on any failure the file is left as it was. */
    public BootReport boot(int batchSize, CancellationSignal cancel, long startNanos) throws SQLException {
        lock.lock();
        try {
            StoreBoot boot = new StoreBoot(this, schema, connection, statements);
            BootReport report = boot.runInTransaction(batchSize, cancel, startNanos);
            dependencies = TableDependencies.load(connection);
            head = boot.head();
            publishedHead = head;
            backendId = boot.backendId();
            bootReport = report;
            return report;
        } finally {
            lock.unlock();
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

    void closeLocked(String reason) {
        if (closed) {
            return;
        }
        closedBecause = reason;
        closed = true;
        subscriptions.clear();
        taps.closed();
        statements.closeAll();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, where() + ": closing the SQLite connection failed", e);
        }
    }
}
