package io.livestore.sync;

import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * PostgreSQL as the shared event log of a cluster (DESIGN.md §8, Y1–Y5, Y9, Y11): every store's log in
 * two tables ({@link PostgresTables#DDL}), appends as compare-and-set on the store's head under the
 * store's row lock, and {@code LISTEN/NOTIFY} to announce them. One instance per node; thread-safe.
 *
 * <p>Ordinary calls take a connection from the given {@link DataSource} (a server's pooled JNDI
 * DataSource, or the HikariCP pool of {@link #connect}) for one transaction and give it back. Listening
 * uses one connection of its own from a {@link ListenConnectionSource}, held for as long as the upstream
 * listens; it starts with the first {@link #listen} registration.
 *
 * <p>A driver failure that is an outage or a timeout (by SQLSTATE, see {@code UpstreamFailures}) is an
 * {@link UpstreamUnavailableException} naming the store and what could not be done; any other (permission
 * denied, a dropped table) an {@link IllegalStateException} with its SQLSTATE; a serialization failure or
 * deadlock of an append is retried. Statements are bounded by {@link PostgresUpstreamOptions#statementTimeout()}. Calls must run
 * outside a JTA transaction (a server's DataSource: use it from the registry's threads, or mark it
 * non-JTA), because an append commits its own transaction.
 */
public final class PostgresUpstream implements Upstream {

    /** Attempts of one append that PostgreSQL rolls back as a serialization failure or deadlock (40001, 40P01). */
    private static final int MAX_APPEND_ATTEMPTS = 8;
    private static final String COLUMNS = "seq_num, parent_seq_num, name, args, client_id, session_id, created_at, event_id";

    private final DataSource dataSource;
    private final PostgresUpstreamOptions options;
    private final UpstreamFailures failures;
    private final PostgresListener listener;
    private final AutoCloseable ownedPool;
    private final String channel;
    private final String storeTable;
    private final String eventTable;
    private final int queryTimeoutSeconds;
    private final int networkTimeoutMillis;
    private volatile boolean closed;
    /** {@link #fastAppendSql} for one event, the usual commit (a benign race may build it twice). */
    private String fastAppendSql1;

    private PostgresUpstream(DataSource dataSource, ListenConnectionSource listenSource, PostgresUpstreamOptions options,
                             AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.options = options;
        this.failures = new UpstreamFailures(options.retryAfter());
        this.ownedPool = ownedPool;
        this.channel = "livestore_" + options.schema();
        this.storeTable = options.schema() + ".livestore_store";
        this.eventTable = options.schema() + ".livestore_event";
        this.queryTimeoutSeconds = (int) Math.max(1, (options.statementTimeout().toMillis() + 999) / 1000);
        this.networkTimeoutMillis = networkTimeoutMillis(options);
        this.listener = new PostgresListener(listenSource, channel, options);
    }

    /**
     * Starts an upstream on {@code dataSource}, listening through connections borrowed from it for good
     * (see {@link ListenConnectionSource#of}); creates or checks the tables.
     *
     * <p>Prefer {@link #start(DataSource, ListenConnectionSource, PostgresUpstreamOptions)} with a second,
     * non-pooled DataSource: a connection held for good by the listener is one the pool lacks, its leak
     * detection reports it, a JTA-aware pool may enlist it, and a pooler in transaction mode (pgbouncer)
     * cannot keep a {@code LISTEN} at all. This overload logs a warning saying so (once per JVM).
     *
     * @throws UpstreamUnavailableException when PostgreSQL cannot be reached
     * @throws IllegalStateException        when the tables exist in another shape, or PostgreSQL refuses the
     *                                      work for a reason other than an outage (such as missing rights)
     */
    public static PostgresUpstream start(DataSource dataSource, PostgresUpstreamOptions options) {
        PostgresListener.warnOfPooledListenConnectionOnce();
        return start(dataSource, ListenConnectionSource.of(dataSource), options);
    }

    /**
     * Starts an upstream on {@code dataSource} that listens through connections of {@code listenSource};
     * creates or checks the tables.
     *
     * @throws UpstreamUnavailableException when PostgreSQL cannot be reached
     * @throws IllegalStateException        when the tables exist in another shape, or PostgreSQL refuses the
     *                                      work for a reason other than an outage (such as missing rights)
     */
    public static PostgresUpstream start(DataSource dataSource, ListenConnectionSource listenSource,
                                         PostgresUpstreamOptions options) {
        return started(new PostgresUpstream(Objects.requireNonNull(dataSource, "dataSource"),
                Objects.requireNonNull(listenSource, "listenSource"), Objects.requireNonNull(options, "options"), null));
    }

    /**
     * Java SE: an upstream with its own HikariCP pool on {@code jdbcUrl} ({@code jdbc:postgresql://...}),
     * listening on a connection opened by the driver outside the pool. Needs pgjdbc and HikariCP on the
     * class path. {@link #close()} closes the pool.
     *
     * @throws UpstreamUnavailableException when PostgreSQL cannot be reached
     * @throws IllegalStateException        when the tables exist in another shape, or PostgreSQL refuses the
     *                                      work for a reason other than an outage (such as missing rights)
     */
    public static PostgresUpstream connect(String jdbcUrl, String user, String password, PostgresUpstreamOptions options) {
        Objects.requireNonNull(options, "options");
        HikariDataSources.Pool pool = HikariDataSources.open(jdbcUrl, user, password, options);
        try {
            return started(new PostgresUpstream(pool.dataSource(), pool.listenSource(), options, pool));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * The longest wait for any one answer of PostgreSQL: the statement timeout, after which PostgreSQL
     * answers itself, and a second for that answer to arrive.
     */
    static int networkTimeoutMillis(PostgresUpstreamOptions options) {
        return (int) Math.min(Integer.MAX_VALUE, options.statementTimeout().toMillis() + 1_000);
    }

    private static PostgresUpstream started(PostgresUpstream upstream) {
        try (BorrowedConnection c = upstream.borrow()) {
            PostgresTables.createOrCheck(c.connection(), upstream.options.schema());
            return upstream;
        } catch (SQLException e) {
            upstream.closeQuietly();
            throw upstream.failures.failed("starting the shared log", e);
        } catch (RuntimeException e) {
            upstream.closeQuietly();
            throw e;
        }
    }

    /** A connection for one call, every wait for PostgreSQL bounded by {@link #networkTimeoutMillis}. */
    private BorrowedConnection borrow() throws SQLException {
        return BorrowedConnection.of(dataSource, networkTimeoutMillis);
    }

    /** The options this upstream runs with. */
    public PostgresUpstreamOptions options() {
        return options;
    }

    @Override
    public AppendResult append(String storeId, long expectedHead, List<LogEvent> events) {
        checkOpen();
        UpstreamArguments.requireAppend(storeId, expectedHead, events);
        LogEvents.requireStorable(storeId, events);
        for (int attempt = 1; ; attempt++) {
            try {
                return appendOnce(storeId, expectedHead, events);
            } catch (SerializationFailure retry) {
                // 40001/40P01: PostgreSQL rolled the transaction back and asks for it again; nothing was written
                if (attempt >= MAX_APPEND_ATTEMPTS) {
                    throw failures.contended(storeId, retry.cause);
                }
                backOff(storeId, attempt, retry.cause);
            }
        }
    }

    /**
     * One append; {@link SerializationFailure} when PostgreSQL asks for it to be run again. The common case
     * — the head is where the caller expects it — is one round trip that also commits
     * ({@link #appendWhenHeadIs}); a first append, a conflict or a retry then takes the full transaction.
     */
    private AppendResult appendOnce(String storeId, long expectedHead, List<LogEvent> events) throws SerializationFailure {
        boolean committing = false;
        try (BorrowedConnection borrowed = borrow()) {
            Connection c = borrowed.connection();
            try {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true); // a pool configured to hand out connections in a transaction
                }
                LogHead moved;
                try {
                    moved = appendWhenHeadIs(c, storeId, expectedHead, events);
                } catch (SQLException e) {
                    if (UpstreamFailures.isAnswerLost(e)) {
                        throw failures.outcomeUnknown(storeId, e); // it commits by itself: it may have (Y3)
                    }
                    throw e;
                }
                if (moved != null) {
                    return new AppendResult.Ok(moved);
                }
                c.setAutoCommit(false); // nothing was written: the head was elsewhere, or the store has no row yet
                try (Statement s = c.createStatement()) {
                    // first statement of the transaction: a role's or DataSource's default of REPEATABLE READ or
                    // SERIALIZABLE would fail a contended FOR UPDATE and the first append's ON CONFLICT with 40001.
                    // READ COMMITTED is enough: FOR UPDATE waits for the store's last writer and then reads the
                    // head it committed, so the compare-and-set below sees every earlier append of the store
                    s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
                    ps.setString(1, options.statementTimeout().toMillis() + "ms");
                    ps.execute();
                }
                LogHead head = lockStore(c, storeId);
                if (head == null && expectedHead == 0) {
                    head = createStore(c, storeId);
                }
                if (head == null) {
                    c.rollback();
                    throw UpstreamArguments.noLog(storeId, expectedHead);
                }
                if (head.head() != expectedHead) {
                    AppendResult answer = alreadyThereOrConflict(c, storeId, expectedHead, events, head);
                    c.rollback();
                    return answer;
                }
                insert(c, storeId, events);
                long newHead = expectedHead + events.size();
                // the head and its announcement in one statement of the same transaction: PostgreSQL delivers
                // a NOTIFY only at commit, so no node hears of a head that was not committed
                try (PreparedStatement ps = c.prepareStatement("WITH moved AS (UPDATE " + storeTable
                        + " SET head = ? WHERE store_id = ? RETURNING head) SELECT pg_notify(?, ?) FROM moved")) {
                    ps.setLong(1, newHead);
                    ps.setString(2, storeId);
                    ps.setString(3, channel);
                    ps.setString(4, PostgresListener.payload(storeId, newHead));
                    ps.execute();
                }
                committing = true; // from here a lost connection leaves the outcome unknown (Y3)
                c.commit();
                return new AppendResult.Ok(new LogHead(head.backendId(), newHead));
            } catch (SQLException | RuntimeException e) {
                if (!committing) {
                    rollbackQuietly(c);
                }
                throw e;
            }
        } catch (SQLException e) {
            if (committing) {
                throw failures.outcomeUnknown(storeId, e);
            }
            if (UpstreamFailures.isSerializationFailure(e)) {
                throw new SerializationFailure(e);
            }
            throw failures.failed("appending to store '" + storeId + "'", e);
        }
    }

    /**
     * The append as one statement after the transaction's settings, all sent in one round trip on an
     * autocommit connection: PostgreSQL runs them as one transaction and commits it before it answers.
     * The head moves by compare-and-set — under READ COMMITTED an {@code UPDATE} that waited for the
     * store's row lock re-checks {@code head = expected} on the row its last writer committed — and only if
     * it moved are the events inserted and the NOTIFY queued (delivered at the commit). Returns the new
     * head, committed, or null when nothing was written (head elsewhere, no row yet).
     */
    private LogHead appendWhenHeadIs(Connection c, String storeId, long expectedHead, List<LogEvent> events)
            throws SQLException {
        long newHead = expectedHead + events.size();
        try (PreparedStatement ps = c.prepareStatement(fastAppendSql(events.size()))) {
            int i = 1;
            ps.setLong(i++, newHead);
            ps.setString(i++, storeId);
            ps.setLong(i++, expectedHead);
            for (LogEvent e : events) {
                ps.setString(i++, storeId);
                LogEvents.bind(ps, i, e);
                i += LogEvents.BOUND_COLUMNS;
            }
            ps.setString(i++, channel);
            ps.setString(i, PostgresListener.payload(storeId, newHead));
            try {
                return movedHead(ps, events.size());
            } catch (SQLException e) {
                RuntimeException refused = LogEvents.refusal(c, eventTable, storeId, events, e);
                if (refused != null) {
                    throw refused;
                }
                throw e;
            }
        }
    }

    /** Runs the statements of {@link #fastAppendSql} and reads the last one's row: the new head, or null. */
    private static LogHead movedHead(PreparedStatement ps, int events) throws SQLException {
        boolean result = ps.execute();
        while (!result) {
            if (ps.getUpdateCount() == -1) {
                throw new IllegalStateException("the append statement gave no result");
            }
            result = ps.getMoreResults();
        }
        try (ResultSet rs = ps.getResultSet()) {
            if (!rs.next()) {
                return null;
            }
            if (rs.getLong(3) != events || rs.getLong(4) != 1) {
                throw new IllegalStateException("the append statement wrote " + rs.getLong(3) + " of " + events
                        + " events and " + rs.getLong(4) + " notifications");
            }
            return new LogHead(rs.getString(1), rs.getLong(2));
        }
    }

    /**
     * The settings of the transaction (its first statements: a role's or DataSource's default of REPEATABLE
     * READ would turn a contended compare-and-set into a serialization failure) and the append statement,
     * for {@code events} events. The timeout is a number of this upstream's options, not input.
     */
    private String fastAppendSql(int events) {
        String cached = events == 1 ? fastAppendSql1 : null;
        if (cached != null) {
            return cached;
        }
        StringBuilder sql = new StringBuilder()
                .append("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; ")
                .append("SET LOCAL statement_timeout = ").append(options.statementTimeout().toMillis()).append("; ")
                .append("WITH moved AS (UPDATE ").append(storeTable)
                .append(" SET head = ? WHERE store_id = ? AND head = ? RETURNING backend_id::text AS backend_id, head), ")
                .append("inserted AS (INSERT INTO ").append(eventTable).append(" (store_id, ").append(COLUMNS)
                .append(") SELECT v.* FROM moved, (VALUES ");
        for (int k = 0; k < events; k++) {
            sql.append(k == 0 ? "" : ", ").append("(?::text, ?::bigint, ?::bigint, ?::text, ?::json, ?::text, ?::text, ?::timestamptz, ?::text)");
        }
        sql.append(") AS v (store_id, ").append(COLUMNS).append(") RETURNING 1), ")
                .append("announced AS (SELECT pg_notify(?, ?) FROM moved) ")
                .append("SELECT m.backend_id, m.head, (SELECT count(*) FROM inserted), (SELECT count(*) FROM announced) FROM moved m");
        String built = sql.toString();
        if (events == 1) {
            fastAppendSql1 = built;
        }
        return built;
    }

    /** A short random wait before the next attempt, so that the transactions that collided do not collide again. */
    private void backOff(String storeId, int attempt, SQLException cause) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + 10L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.contended(storeId, cause);
        }
    }


    /** Events of an earlier attempt with the same ids at the same positions: Ok; anything else: Conflict. */
    private AppendResult alreadyThereOrConflict(Connection c, String storeId, long expectedHead, List<LogEvent> events,
                                                LogHead head) throws SQLException {
        if (head.head() < expectedHead) {
            return new AppendResult.Conflict(head, List.of());
        }
        List<LogEvent> after = read(c, storeId, expectedHead, Math.max(events.size(), options.maxPage()));
        if (UpstreamArguments.isRetry(storeId, events, after.subList(0, Math.min(after.size(), events.size())))) {
            return new AppendResult.Ok(head);
        }
        return new AppendResult.Conflict(head, after.subList(0, Math.min(after.size(), options.maxPage())));
    }

    private LogHead lockStore(Connection c, String storeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT backend_id::text, head FROM " + storeTable + " WHERE store_id = ? FOR UPDATE")) {
            ps.setString(1, storeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new LogHead(rs.getString(1), rs.getLong(2)) : null;
            }
        }
    }

    /** The store's row, inserted now or by a concurrent first append (then it waits for it and locks it). */
    private LogHead createStore(Connection c, String storeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + storeTable
                + " (store_id, backend_id, head) VALUES (?, ?::uuid, 0) ON CONFLICT (store_id) DO NOTHING")) {
            ps.setString(1, storeId);
            ps.setString(2, UUID.randomUUID().toString());
            ps.executeUpdate();
        }
        return lockStore(c, storeId);
    }

    private void insert(Connection c, String storeId, List<LogEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + eventTable + " (store_id, " + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?::json, ?, ?, ?, ?)")) {
            for (LogEvent e : events) {
                ps.setString(1, storeId);
                LogEvents.bind(ps, 2, e);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            RuntimeException refused = LogEvents.refusal(c, eventTable, storeId, events, e);
            if (refused != null) {
                throw refused;
            }
            throw e;
        }
    }

    private List<LogEvent> read(Connection c, String storeId, long afterSeqNum, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + eventTable
                + " WHERE store_id = ? AND seq_num > ? ORDER BY seq_num LIMIT ?")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, storeId);
            ps.setLong(2, afterSeqNum);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return LogEvents.readAll(rs);
            }
        }
    }

    @Override
    public List<LogEvent> pull(String storeId, long afterSeqNum, int limit) {
        checkOpen();
        UpstreamArguments.requirePull(storeId, afterSeqNum, limit);
        try (BorrowedConnection c = borrow()) {
            return read(c.connection(), storeId, afterSeqNum, Math.min(limit, options.maxPage()));
        } catch (SQLException e) {
            throw failures.failed("reading the log of store '" + storeId + "'", e);
        }
    }

    @Override
    public Optional<LogHead> head(String storeId) {
        checkOpen();
        UpstreamArguments.requireStoreId(storeId);
        return Optional.ofNullable(heads(List.of(storeId), "reading the head of store '" + storeId + "'").get(storeId));
    }

    @Override
    public Map<String, LogHead> heads(Collection<String> storeIds) {
        checkOpen();
        return heads(storeIds, "reading the heads of " + storeIds.size() + " stores");
    }

    private Map<String, LogHead> heads(Collection<String> storeIds, String what) {
        Set<String> ids = UpstreamArguments.requireStoreIds(storeIds);
        Map<String, LogHead> heads = new HashMap<>();
        if (ids.isEmpty()) {
            return heads;
        }
        try (BorrowedConnection borrowed = borrow();
             PreparedStatement ps = borrowed.connection().prepareStatement(
                     "SELECT store_id, backend_id::text, head FROM " + storeTable + " WHERE store_id = ANY (?)")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            Array array = borrowed.connection().createArrayOf("text", ids.toArray());
            try {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        heads.put(rs.getString(1), new LogHead(rs.getString(2), rs.getLong(3)));
                    }
                }
            } finally {
                array.free();
            }
            return heads;
        } catch (SQLException e) {
            throw failures.failed(what, e);
        }
    }

    @Override
    public Registration listen(io.livestore.store.spi.ChangeListener changeListener) {
        checkOpen();
        return listener.register(Objects.requireNonNull(changeListener, "listener"));
    }

    /** Stops listening (closing the LISTEN connection) and, for {@link #connect}, closes the pool. Idempotent. */
    @Override
    public void close() {
        closeQuietly();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this PostgreSQL upstream is closed");
        }
    }

    private void closeQuietly() {
        closed = true;
        listener.close();
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                System.getLogger(PostgresUpstream.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the connection pool of the shared log failed", e);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: PostgreSQL rolls the transaction back itself
        }
    }
}
