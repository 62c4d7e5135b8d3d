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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * PostgreSQL as the shared event log of a cluster (DESIGN.md §8, Y1–Y5, Y9, Y11): every store's log in
 * tables of its own ({@link PostgresTables#DDL}), appends as compare-and-set on the store's head under the
 * store's row lock, and {@code LISTEN/NOTIFY} to announce them to the other nodes that
 * {@linkplain #follow follow} the store. One instance per node; thread-safe.
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

    private final DataSource dataSource;
    private final PostgresUpstreamOptions options;
    private final UpstreamFailures failures;
    private final PostgresListener listener;
    private final PostgresInterest interest;
    private final AutoCloseable ownedPool;
    private final String storeTable;
    private final String eventTable;
    private final int queryTimeoutSeconds;
    private final int networkTimeoutMillis;
    private volatile boolean closed;
    private final OneTripAppend oneTrip;
    private final LockedAppend locked;

    private PostgresUpstream(DataSource dataSource, ListenConnectionSource listenSource, PostgresUpstreamOptions options,
                             AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.options = options;
        this.failures = new UpstreamFailures(options.retryAfter());
        this.ownedPool = ownedPool;
        this.storeTable = options.schema() + ".livestore_store";
        this.eventTable = options.schema() + ".livestore_event";
        this.queryTimeoutSeconds = (int) Math.max(1, (options.statementTimeout().toMillis() + 999) / 1000);
        this.networkTimeoutMillis = networkTimeoutMillis(options);
        this.interest = new PostgresInterest(options.schema(), options.interestTtl(), queryTimeoutSeconds, failures);
        this.listener = new PostgresListener(listenSource, interest, options);
        this.oneTrip = new OneTripAppend(storeTable, eventTable, interest, options.statementTimeout(), failures);
        this.locked = new LockedAppend(storeTable, eventTable, interest, options, queryTimeoutSeconds);
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

    /** This node's channel, for tests that listen on it themselves. */
    String channel() {
        return interest.channel();
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
     * — the head is where the caller expects it — is one round trip that also commits ({@link OneTripAppend});
     * a first append, a conflict, a retry or a large batch takes the full transaction below.
     */
    private AppendResult appendOnce(String storeId, long expectedHead, List<LogEvent> events) throws SerializationFailure {
        boolean committing = false;
        try (BorrowedConnection borrowed = borrow()) {
            Connection c = borrowed.connection();
            try {
                if (events.size() <= OneTripAppend.MAX_EVENTS) {
                    LogHead moved = oneTrip.tryAppend(c, storeId, expectedHead, events);
                    if (moved != null) {
                        return new AppendResult.Ok(moved);
                    }
                }
                // nothing was written: the head is elsewhere, the store has no row yet, or a batch too large for one trip
                LockedAppend.Prepared prepared = locked.prepare(c, storeId, expectedHead, events);
                if (!prepared.toCommit()) {
                    return prepared.result();
                }
                committing = true; // from here a lost connection leaves the outcome unknown (Y3)
                c.commit();
                return prepared.result();
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

    /** A short random wait before the next attempt, so that the transactions that collided do not collide again. */
    private void backOff(String storeId, int attempt, SQLException cause) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + 10L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.contended(storeId, cause);
        }
    }


    @Override
    public List<LogEvent> pull(String storeId, long afterSeqNum, int limit) {
        checkOpen();
        UpstreamArguments.requirePull(storeId, afterSeqNum, limit);
        try (BorrowedConnection c = borrow()) {
            return LogEvents.readAfter(c.connection(), eventTable, storeId, afterSeqNum, Math.min(limit, options.maxPage()),
                    queryTimeoutSeconds);
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
    public LogHead createLog(String storeId) {
        checkOpen();
        UpstreamArguments.requireStoreId(storeId);
        String what = "creating the log of store '" + storeId + "'";
        try (BorrowedConnection borrowed = borrow();
             PreparedStatement ps = borrowed.connection().prepareStatement("INSERT INTO " + storeTable
                     + " (store_id, backend_id, head) VALUES (?, ?::uuid, 0) ON CONFLICT (store_id) DO NOTHING")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, storeId);
            ps.setString(2, java.util.UUID.randomUUID().toString());
            ps.executeUpdate(); // one statement: atomic on its own, whatever the connection's autocommit
            if (!borrowed.connection().getAutoCommit()) {
                borrowed.connection().commit();
            }
        } catch (SQLException e) {
            throw failures.failed(what, e);
        }
        return heads(List.of(storeId), what).get(storeId);
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

    /**
     * {@inheritDoc}
     *
     * <p>Writes this node's row in {@code livestore_interest} (one transaction) at the first follow of a
     * store; the LISTEN thread keeps it alive and deletes it some time after the last follow is closed.
     * An append announces itself only to the other nodes that follow the store, each on the channel its
     * LISTEN connection listens on ({@code livestore_n_<node key>}).
     *
     * @throws UpstreamUnavailableException when the row cannot be written (nothing is followed then)
     */
    @Override
    public Interest follow(String storeId) {
        checkOpen();
        UpstreamArguments.requireStoreId(storeId);
        return interest.follow(storeId, this::borrow);
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
        interest.forget(this::borrow);
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
