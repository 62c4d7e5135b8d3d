package io.livestore.sync;

import io.livestore.store.spi.Upstream;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which nodes follow which stores, so that an append announces itself only to the other nodes that hold
 * a copy of the store, each on a channel of its own: a NOTIFY on a shared channel woke PostgreSQL's
 * backend of every listening node and every node's listener thread — the committing node's own too —
 * which on a loaded database cost the committers a third of their throughput, mostly for stores that
 * only the committing node holds.
 *
 * <p>Every upstream instance is one node, under a random {@code node_key}, listening on the channel
 * {@code livestore_n_<node_key>}. Two tables: {@code livestore_node} (one row per node, with an expiry
 * the LISTEN thread pushes forward every quarter of {@code interestTtl} — a heartbeat of one row) and
 * {@code livestore_interest} (one row per followed store and node, no expiry of its own). An append
 * announces itself to the nodes with a row for the store whose node row has not expired.
 *
 * <p>The first {@link #follow} of a store writes the node's row (one transaction) and takes a share lock
 * on the store's row: an append that holds that row's lock commits first, and the follower's catch-up
 * pull sees it; an append that takes the lock later reads the interest in a statement of its own after
 * the lock was granted (a snapshot taken before that wait would miss a follow committed during it), so
 * it announces itself (Y4). The last close of a store's interest leaves the row for the next
 * {@link #refresh}, which deletes the rows no longer followed (so a store disposed and loaded again soon
 * costs no write).
 *
 * <p>A node whose heartbeat expired (its LISTEN connection was down, or it stalled) is dead to the others:
 * any node's refresh deletes the rows of dead nodes. When its own refresh finds its heartbeat expired or
 * gone, it registers again — its node row and every followed store's row — and reports it, so that its
 * listeners resync: announcements may have been missed meanwhile. After a (re)connect the node registers
 * before the resync. All times are PostgreSQL's clock: the nodes' clocks may differ.
 */
final class PostgresInterest {

    private static final System.Logger LOG = System.getLogger(PostgresUpstream.class.getName());

    /** The prefix of every node's channel; the node key follows. */
    static final String CHANNEL_PREFIX = "livestore_n_";
    /** What a node key looks like: a row with another key announces nothing (its channel could not be named). */
    private static final String NODE_KEY_PATTERN = "^[0-9a-f]{16}$";

    /** Borrows a connection for one call (the upstream's pool). */
    @FunctionalInterface
    interface ConnectionLender {
        BorrowedConnection borrow() throws SQLException;
    }

    /**
     * One store this node follows: {@code count} guarded by the enclosing instance; the row written under
     * this object's monitor (a second follow waits for the first one's row), read by the last unfollow.
     */
    private static final class Followed {
        int count;
        volatile boolean written;
        volatile long generation;
    }

    private final String interestTable;
    private final String nodeTable;
    private final String storeTable;
    /** 16 lower-case hex digits (64 random bits): part of the node's channel name, which PostgreSQL limits to 63 bytes. */
    private final String nodeKey = String.format("%016x", new SecureRandom().nextLong());
    private final long ttlMillis;
    private final int queryTimeoutSeconds;
    private final UpstreamFailures failures;
    private final Map<String, Followed> followed = new HashMap<>();
    /** Stores followed no more, with the generation of their row: the next refresh deletes those rows. */
    private final Map<String, Long> unfollowed = new LinkedHashMap<>();
    /** Increases with every first follow; a row written by a later follow is never deleted for an earlier unfollow. */
    private long generation;

    PostgresInterest(String schema, Duration ttl, int queryTimeoutSeconds, UpstreamFailures failures) {
        this.interestTable = schema + ".livestore_interest";
        this.nodeTable = schema + ".livestore_node";
        this.storeTable = schema + ".livestore_store";
        this.ttlMillis = ttl.toMillis();
        this.queryTimeoutSeconds = queryTimeoutSeconds;
        this.failures = failures;
    }

    /** This node's key in the tables. */
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
     * The statement that queues an append's announcement on the channel of every other live node with a
     * row for the store — none when no other node follows it. Parameters: the payload, the storeId, this
     * node's key; {@code condition} (SQL without parameters, or {@code TRUE}) must hold too.
     */
    String notifyFollowersSql(String condition) {
        return "SELECT pg_notify('" + CHANNEL_PREFIX + "' || i.node_key, ?) FROM " + interestTable + " i JOIN "
                + nodeTable + " n ON n.node_key = i.node_key WHERE " + condition
                + " AND i.store_id = ? AND i.node_key <> ? AND n.expires_at > clock_timestamp() AND i.node_key ~ '"
                + NODE_KEY_PATTERN + "'";
    }

    /**
     * Follows {@code storeId}; the first follow of a store writes the row before it returns, and a second
     * one waits for it (its catch-up must not run before the row is there).
     *
     * @throws io.livestore.store.UpstreamUnavailableException the row could not be written (nothing followed)
     * @throws IllegalStateException PostgreSQL refused the row (missing rights), nothing followed
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
                if (!f.written) {
                    write(storeId, written, lender);
                    f.generation = written;
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

    private synchronized void unfollow(String storeId, Followed f) {
        // at zero no follow of f is running (each holds a count), so its row is written or never will be
        if (--f.count == 0 && followed.remove(storeId, f) && f.written) {
            unfollowed.merge(storeId, f.generation, Math::max);
        }
    }

    private void write(String storeId, long generation, ConnectionLender lender) {
        try (BorrowedConnection borrowed = lender.borrow()) {
            Connection c = borrowed.connection();
            c.setAutoCommit(false);
            try {
                // the heartbeat row, if the LISTEN thread has not written it yet (an existing one stays as it is:
                // no lock on it, so concurrent follows do not queue behind each other)
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + nodeTable + " (node_key, expires_at) "
                        + "VALUES (?, clock_timestamp() + ? * interval '1 millisecond') ON CONFLICT (node_key) DO NOTHING")) {
                    ps.setQueryTimeout(queryTimeoutSeconds);
                    ps.setString(1, nodeKey);
                    ps.setLong(2, ttlMillis);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + interestTable
                        + " (store_id, node_key, generation) VALUES (?, ?, ?) "
                        + "ON CONFLICT (store_id, node_key) DO UPDATE SET generation = EXCLUDED.generation")) {
                    ps.setQueryTimeout(queryTimeoutSeconds);
                    ps.setString(1, storeId);
                    ps.setString(2, nodeKey);
                    ps.setLong(3, generation);
                    ps.executeUpdate();
                }
                // waits for an append holding the store's row lock: it commits first, and the catch-up sees it;
                // a share lock, so that nodes following the same store do not wait for each other
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM " + storeTable + " WHERE store_id = ? FOR SHARE")) {
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
     * The LISTEN thread's periodic work on its connection {@code c} (autocommit): pushes the node's
     * heartbeat forward, deletes its rows of stores it follows no more and the rows of dead nodes. When
     * the heartbeat had expired or was gone, registers the node again ({@link #register}).
     *
     * @return whether the node registered again: its listeners must resync
     * @throws SQLException what PostgreSQL answers; the caller tells an outage from a refusal
     */
    boolean refresh(Connection c) throws SQLException {
        boolean alive;
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + nodeTable
                + " SET expires_at = clock_timestamp() + ? * interval '1 millisecond' "
                + "WHERE node_key = ? AND expires_at > clock_timestamp()")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setLong(1, ttlMillis);
            ps.setString(2, nodeKey);
            alive = ps.executeUpdate() == 1;
        }
        boolean registered = !alive && register(c);
        dropUnfollowed(c);
        deleteDeadNodes(c);
        return registered;
    }

    /**
     * Writes the node's heartbeat and a row for every store it follows (one transaction): after a
     * (re)connect, before the resync, and when its heartbeat had expired. Answers whether the node
     * follows anything (else there is nothing to resync for).
     */
    boolean register(Connection c) throws SQLException {
        String[] ids;
        long listedAt;
        synchronized (this) {
            listedAt = generation;
            ids = followed.keySet().toArray(String[]::new);
        }
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + nodeTable + " (node_key, expires_at) "
                    + "VALUES (?, clock_timestamp() + ? * interval '1 millisecond') "
                    + "ON CONFLICT (node_key) DO UPDATE SET expires_at = EXCLUDED.expires_at")) {
                ps.setQueryTimeout(queryTimeoutSeconds);
                ps.setString(1, nodeKey);
                ps.setLong(2, ttlMillis);
                ps.executeUpdate();
            }
            if (ids.length > 0) {
                Array array = c.createArrayOf("text", ids);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + interestTable
                        + " (store_id, node_key, generation) SELECT id, ?, ? FROM unnest(?::text[]) AS id "
                        + "ON CONFLICT (store_id, node_key) DO NOTHING")) {
                    ps.setQueryTimeout(queryTimeoutSeconds);
                    ps.setString(1, nodeKey);
                    ps.setLong(2, listedAt);
                    ps.setArray(3, array);
                    ps.executeUpdate();
                } finally {
                    array.free();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return ids.length > 0;
    }

    /** Deletes the rows of stores followed no more, unless a later follow wrote them again. */
    private void dropUnfollowed(Connection c) throws SQLException {
        String[] ids;
        Long[] generations;
        synchronized (this) {
            if (unfollowed.isEmpty()) {
                return;
            }
            ids = unfollowed.keySet().toArray(String[]::new);
            generations = unfollowed.values().toArray(Long[]::new);
        }
        Array idArray = c.createArrayOf("text", ids);
        Array generationArray = c.createArrayOf("bigint", generations);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + interestTable + " i USING unnest(?::text[], "
                + "?::bigint[]) AS d (id, generation) WHERE i.node_key = ? AND i.store_id = d.id AND i.generation <= d.generation")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setArray(1, idArray);
            ps.setArray(2, generationArray);
            ps.setString(3, nodeKey);
            ps.executeUpdate();
        } finally {
            idArray.free();
            generationArray.free();
        }
        synchronized (this) {
            for (int k = 0; k < ids.length; k++) {
                unfollowed.remove(ids[k], generations[k]);
            }
        }
    }

    /**
     * Deletes the heartbeats that expired and those nodes' rows, in one statement. {@code SKIP LOCKED}:
     * nodes cleaning up at once take disjoint nodes and never wait for, or deadlock with, each other; a
     * dead node registering again holds its heartbeat row's lock, and is skipped.
     */
    private void deleteDeadNodes(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH dead AS (DELETE FROM " + nodeTable
                + " WHERE node_key IN (SELECT node_key FROM " + nodeTable + " WHERE expires_at < clock_timestamp() "
                + "AND node_key <> ? FOR UPDATE SKIP LOCKED) RETURNING node_key) "
                + "DELETE FROM " + interestTable + " WHERE node_key IN (SELECT node_key FROM dead)")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, nodeKey);
            int rows = ps.executeUpdate();
            if (rows > 0) {
                LOG.log(Level.DEBUG, () -> "deleted " + rows + " interest rows of nodes whose heartbeat expired");
            }
        }
    }

    /** At close: deletes the node's rows and heartbeat, so that other nodes stop announcing to it at once. Never throws. */
    void forget(ConnectionLender lender) {
        synchronized (this) {
            followed.clear();
            unfollowed.clear();
            if (generation == 0) {
                return; // never followed anything (an upstream that failed to start, too): no connection needed
            }
        }
        try (BorrowedConnection borrowed = lender.borrow();
             PreparedStatement ps = borrowed.connection().prepareStatement("WITH node AS (DELETE FROM " + nodeTable
                     + " WHERE node_key = ?) DELETE FROM " + interestTable + " WHERE node_key = ?")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, nodeKey);
            ps.setString(2, nodeKey);
            ps.executeUpdate();
            if (!borrowed.connection().getAutoCommit()) {
                borrowed.connection().commit();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.DEBUG, "deleting this node's interest rows at close failed; other nodes delete them once its "
                    + "heartbeat has expired", e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: PostgreSQL rolls back itself
        }
    }
}
