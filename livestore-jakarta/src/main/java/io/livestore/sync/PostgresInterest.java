package io.livestore.sync;

import io.livestore.store.spi.Upstream;
import java.lang.System.Logger.Level;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which nodes follow which stores, in the table {@code livestore_interest}, so that an append announces
 * itself only to the other nodes that hold a copy of the store, each on its own channel: a NOTIFY on a
 * shared channel woke PostgreSQL's backend of every listening node and every node's listener thread —
 * the committing node's own too — which on a loaded database cost the committers a third of their
 * throughput, mostly for stores that only the committing node holds.
 *
 * <p>Every upstream instance is one node, under a random {@code node_key}, listening on the channel
 * {@code livestore_n_<node_key>}. The first {@link #follow} of a
 * store writes the node's row (one transaction) and locks the store's row for it; the interest is
 * visible to every append that takes that lock after it, and an append that held the lock before has
 * committed before the follower's catch-up pull begins, which then sees it (Y4). An append reads the
 * other nodes' rows in a statement of its own after its head moved, i.e. after it holds the store's row
 * lock: a statement snapshot taken before that wait would miss a follow committed during it.
 *
 * <p>Rows expire ({@code interestTtl}): the LISTEN thread {@link #refresh refreshes} the node's rows every
 * quarter of it, deletes those of stores it no longer follows, and deletes every node's expired rows, so a
 * node that died without a word stops costing NOTIFYs after at most the TTL. A node whose LISTEN
 * connection is down refreshes nothing, and its rows may expire; its reconnect refreshes them before the
 * resync that compares every copy with the log. All times are PostgreSQL's clock: nodes' clocks may differ.
 */
final class PostgresInterest {

    private static final System.Logger LOG = System.getLogger(PostgresUpstream.class.getName());

    /** Borrows a connection for one call (the upstream's pool). */
    @FunctionalInterface
    interface ConnectionLender {
        BorrowedConnection borrow() throws SQLException;
    }

    /** One store this node follows; {@code count} and the map guarded by the enclosing instance, {@code written} by itself. */
    private static final class Followed {
        int count;
        boolean written;
    }

    private final String table;
    private final String storeTable;
    /** 16 lower-case hex digits (64 random bits): part of the node's channel name, which PostgreSQL limits to 63 bytes. */
    private final String nodeKey = String.format("%016x", new SecureRandom().nextLong());
    private final long ttlMillis;
    private final int queryTimeoutSeconds;
    private final UpstreamFailures failures;
    private final Map<String, Followed> followed = new HashMap<>();
    /** Increases with every follow; a refresh deletes only rows written before its listing of {@link #followed}. */
    private long generation;

    PostgresInterest(String schema, Duration ttl, int queryTimeoutSeconds, UpstreamFailures failures) {
        this.table = schema + ".livestore_interest";
        this.storeTable = schema + ".livestore_store";
        this.ttlMillis = ttl.toMillis();
        this.queryTimeoutSeconds = queryTimeoutSeconds;
        this.failures = failures;
    }

    /** The prefix of every node's channel; the node key follows. */
    static final String CHANNEL_PREFIX = "livestore_n_";
    /** What a node key looks like: a row with another key announces nothing (its channel could not be named). */
    private static final String NODE_KEY_PATTERN = "^[0-9a-f]{16}$";

    /** This node's key in the table. */
    String nodeKey() {
        return nodeKey;
    }

    /** The channel this node LISTENs on: appends of other nodes to the stores it follows are announced there only. */
    String channel() {
        return CHANNEL_PREFIX + nodeKey;
    }

    /** How often the LISTEN thread calls {@link #refresh}. */
    long refreshIntervalNanos() {
        return Duration.ofMillis(ttlMillis).toNanos() / 4;
    }

    /**
     * The statement that queues an append's announcement on the channel of every other node with an
     * unexpired row for the store — none when no other node follows it. Parameters: the payload, the
     * storeId, this node's key; {@code condition} (SQL without parameters, or {@code TRUE}) must hold too.
     */
    String notifyFollowersSql(String condition) {
        return "SELECT pg_notify('" + CHANNEL_PREFIX + "' || node_key, ?) FROM " + table + " WHERE " + condition
                + " AND store_id = ? AND node_key <> ? AND expires_at > clock_timestamp() AND node_key ~ '"
                + NODE_KEY_PATTERN + "'";
    }

    /**
     * Follows {@code storeId}; the first follow of a store writes the row before it returns.
     *
     * @throws io.livestore.store.UpstreamUnavailableException the row could not be written (nothing followed)
     */
    Upstream.Interest follow(String storeId, ConnectionLender lender) {
        Followed f;
        long written;
        synchronized (this) {
            f = followed.computeIfAbsent(storeId, id -> new Followed());
            f.count++;
            written = ++generation;
        }
        try {
            synchronized (f) {
                // a second follow of the store waits for the first one's row: its catch-up must not run before it
                if (!f.written) {
                    write(storeId, written, lender);
                    f.written = true;
                }
            }
        } catch (RuntimeException e) {
            unfollow(storeId, f);
            throw e;
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                unfollow(storeId, f);
            }
        };
    }

    /** The row stays until the next refresh deletes it: a store disposed and loaded again soon costs no write. */
    private synchronized void unfollow(String storeId, Followed f) {
        if (--f.count == 0) {
            followed.remove(storeId, f);
        }
    }

    private void write(String storeId, long generation, ConnectionLender lender) {
        try (BorrowedConnection borrowed = lender.borrow()) {
            Connection c = borrowed.connection();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                        + " (store_id, node_key, generation, expires_at) VALUES (?, ?, ?, clock_timestamp() + ? * interval '1 millisecond') "
                        + "ON CONFLICT (store_id, node_key) DO UPDATE SET generation = EXCLUDED.generation, "
                        + "expires_at = EXCLUDED.expires_at")) {
                    ps.setQueryTimeout(queryTimeoutSeconds);
                    ps.setString(1, storeId);
                    ps.setString(2, nodeKey);
                    ps.setLong(3, generation);
                    ps.setLong(4, ttlMillis);
                    ps.executeUpdate();
                }
                // waits for an append holding the store's row lock: it commits first, and the catch-up sees it
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM " + storeTable + " WHERE store_id = ? FOR NO KEY UPDATE")) {
                    ps.setQueryTimeout(queryTimeoutSeconds);
                    ps.setString(1, storeId);
                    ps.executeQuery().close();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone: PostgreSQL rolls back itself
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failures.failed("following store '" + storeId + "'", e);
        }
    }

    /**
     * Extends the node's rows of the stores it follows, writes those missing (expired meanwhile), deletes
     * its rows of stores it follows no more and every node's expired rows: one statement on {@code c}
     * (autocommit). Throws what PostgreSQL answers; the LISTEN thread then reconnects.
     */
    void refresh(Connection c) throws SQLException {
        String[] ids;
        long listedAt;
        synchronized (this) {
            listedAt = generation;
            ids = followed.keySet().toArray(String[]::new);
        }
        Array array = c.createArrayOf("text", ids);
        try (PreparedStatement ps = c.prepareStatement("WITH kept AS (INSERT INTO " + table
                + " (store_id, node_key, generation, expires_at) "
                + "SELECT id, ?, ?, clock_timestamp() + ? * interval '1 millisecond' FROM unnest(?::text[]) AS id "
                + "ON CONFLICT (store_id, node_key) DO UPDATE SET expires_at = EXCLUDED.expires_at RETURNING 1), "
                + "dropped AS (DELETE FROM " + table + " WHERE node_key = ? AND generation <= ? AND NOT (store_id = ANY (?)) "
                + "RETURNING 1), "
                + "expired AS (DELETE FROM " + table + " WHERE node_key <> ? AND expires_at < clock_timestamp() RETURNING 1) "
                + "SELECT (SELECT count(*) FROM kept), (SELECT count(*) FROM dropped), (SELECT count(*) FROM expired)")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, nodeKey);
            ps.setLong(2, listedAt);
            ps.setLong(3, ttlMillis);
            ps.setArray(4, array);
            ps.setString(5, nodeKey);
            ps.setLong(6, listedAt);
            ps.setArray(7, array);
            ps.setString(8, nodeKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long kept = rs.getLong(1);
                long dropped = rs.getLong(2);
                long expired = rs.getLong(3);
                LOG.log(Level.TRACE, () -> "interest refreshed: " + kept + " stores followed, " + dropped
                        + " no longer, " + expired + " expired rows of other nodes deleted");
            }
        } finally {
            array.free();
        }
    }

    /** At close: deletes the node's rows, so that other nodes stop announcing to it at once. Never throws. */
    void forget(ConnectionLender lender) {
        synchronized (this) {
            followed.clear();
            if (generation == 0) {
                return; // never followed anything (an upstream that failed to start, too): no connection needed
            }
        }
        try (BorrowedConnection borrowed = lender.borrow();
             PreparedStatement ps = borrowed.connection().prepareStatement("DELETE FROM " + table + " WHERE node_key = ?")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, nodeKey);
            ps.executeUpdate();
            if (!borrowed.connection().getAutoCommit()) {
                borrowed.connection().commit();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.DEBUG, "deleting this node's interest rows at close failed; they expire on their own", e);
        }
    }
}
