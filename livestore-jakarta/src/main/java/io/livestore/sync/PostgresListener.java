package io.livestore.sync;

import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.Upstream;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The one LISTEN connection of a {@link PostgresUpstream} and its thread (Y5). The thread opens the
 * connection, says {@code LISTEN}, refreshes the node's {@link PostgresInterest interest} (and again every
 * quarter of its TTL), tells every listener to {@link ChangeListener#resync resync}, then
 * waits for notifications with pgjdbc's {@code getNotifications(timeout)} and hands each to every
 * listener. When the connection fails (PostgreSQL stopped, the backend terminated, the network gone —
 * a quiet connection is checked every {@code listenCheckInterval}) it is closed, and the thread
 * reconnects after a backoff doubling from {@code reconnectMinBackoff} to {@code reconnectMaxBackoff};
 * after every reconnect every listener resyncs again, since notifications sent meanwhile are lost.
 *
 * <p>Started by the first registration; {@link #close()} stops the thread and closes the connection.
 * A registration's close waits for a call to its listener in progress (so do not close it while holding
 * a lock the listener takes); from inside that call — and {@code close()} of the upstream too — it
 * returns without waiting for itself.
 */
final class PostgresListener {

    private static final System.Logger LOG = System.getLogger(PostgresUpstream.class.getName());

    private final ListenConnectionSource source;
    private final PostgresInterest interest;
    private final String channel;
    private final PostgresUpstreamOptions options;
    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private Thread thread;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** The open LISTEN connection, or null; written by the thread, closed by {@link #close()} too. */
    private volatile Connection connection;
    /** Heartbeats refused in a row (the LISTEN thread's only). */
    private int refusedRefreshes;
    /** The LISTEN connection's network timeout before {@link #connect()} bounded it. */
    private volatile Integer previousNetworkTimeout;

    PostgresListener(ListenConnectionSource source, PostgresInterest interest, PostgresUpstreamOptions options) {
        this.source = source;
        this.interest = interest;
        this.channel = interest.channel();
        this.options = options;
    }

    /** Whether the warning of {@link #warnOfPooledListenConnectionOnce()} was logged. */
    private static final AtomicBoolean WARNED_POOLED = new AtomicBoolean();

    /** For {@code PostgresUpstream.start(DataSource, options)}: once per JVM, why a pooled LISTEN connection is a risk. */
    static void warnOfPooledListenConnectionOnce() {
        if (WARNED_POOLED.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "the shared log (PostgreSQL) listens for changes on a connection it keeps from "
                    + "the application's DataSource: the pool has one connection less, its leak detection may report "
                    + "that connection, a JTA-aware pool may enlist it, and behind a pooler in transaction mode "
                    + "(pgbouncer) LISTEN does not work. Pass a second, non-pooled DataSource: PostgresUpstream"
                    + ".start(dataSource, ListenConnectionSource.of(listenDataSource), options)");
        }
    }

    /** The payload of a notification: the head first, so any storeId (even with ':' or spaces) follows intact. */
    static String payload(String storeId, long head) {
        return head + ":" + storeId;
    }

    Upstream.Registration register(ChangeListener listener) {
        Entry entry = new Entry(listener);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the upstream is closed: it announces nothing any more");
            }
            entries.add(entry);
            if (thread == null) {
                thread = options.threadFactory().newThread(this::run);
                thread.setName("livestore-pg-listen-" + options.applicationName());
                thread.start();
            }
        } finally {
            lock.unlock();
        }
        return () -> {
            entries.remove(entry);
            entry.end();
        };
    }

    void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = thread;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        for (Entry e : entries) {
            e.end();
        }
        entries.clear();
        // from a listener's own call (on the thread itself): no join, the thread ends when that call returns
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(options.listenPollInterval().toMillis() + options.socketTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disconnect();
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long backoff = options.reconnectMinBackoff().toMillis();
        int failures = 0;
        while (!isClosed()) {
            try {
                connect();
                if (failures > 0) {
                    LOG.log(Level.INFO, "listening for changes of the shared log (PostgreSQL) again after "
                            + failures + " failed attempts; every listener resyncs");
                }
                failures = 0;
                backoff = options.reconnectMinBackoff().toMillis();
                for (Entry e : entries) {
                    e.resyncPending = true;
                }
                listen();
            } catch (SQLException | RuntimeException e) {
                if (!isClosed()) {
                    // the first failure of an outage with its cause; the retries that follow quietly
                    LOG.log(failures == 0 ? Level.WARNING : Level.DEBUG, "listening for changes of the shared log "
                            + "(PostgreSQL) failed; reconnecting in " + backoff + " ms", e);
                    failures++;
                }
            }
            disconnect();
            pause(backoff);
            backoff = Math.min(backoff * 2, options.reconnectMaxBackoff().toMillis());
        }
    }

    private void connect() throws SQLException {
        Connection c = source.open();
        connection = c;
        // a frozen server or a partition ends the setup and every check of the connection, whatever the
        // source's settings; getNotifications sets its own shorter wait while polling
        previousNetworkTimeout = BorrowedConnection.bound(c, PostgresUpstream.networkTimeoutMillis(options));
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, options.applicationName() + "-listen");
            ps.execute();
        }
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel); // "livestore_n_" + 16 hex digits: no quoting needed
        }
        // the node may have been taken for dead while it was not listening, and its rows deleted: back
        // before the resyncs, so that every append after them announces itself to it again
        heartbeat(c, true);
    }

    /** Until the connection fails or the listener closes. */
    private void listen() throws SQLException {
        Connection c = connection;
        PGConnection pg = c.unwrap(PGConnection.class);
        int poll = (int) options.listenPollInterval().toMillis();
        long checkEvery = options.listenCheckInterval().toNanos();
        long refreshEvery = interest.refreshIntervalNanos();
        long lastHeard = System.nanoTime();
        long lastRefresh = lastHeard;
        while (!isClosed()) {
            deliverResyncs();
            if (System.nanoTime() - lastRefresh > refreshEvery) {
                heartbeat(c, false);
                lastRefresh = System.nanoTime();
            }
            PGNotification[] notes = pg.getNotifications(poll);
            if (notes != null && notes.length > 0) {
                lastHeard = System.nanoTime();
                for (PGNotification n : notes) {
                    deliver(n);
                }
            } else if (System.nanoTime() - lastHeard > checkEvery) {
                // a connection whose peer vanished without a word: nothing arrives, and nothing says so
                if (!c.isValid((int) Math.max(1, options.statementTimeout().toSeconds()))) {
                    throw new SQLException("the LISTEN connection is no longer valid", "08006");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    /**
     * The interest's registration ({@code register}, after a connect) or heartbeat. An outage ends the
     * connection (reconnect, register, resync); a refusal (rights missing on the interest tables, say) is
     * logged as a WARNING and tried again at the next heartbeat, without ending the listening: the
     * announcements of the stores already followed go on.
     */
    private void heartbeat(Connection c, boolean register) throws SQLException {
        try {
            if (register) {
                interest.register(c);
            } else if (interest.refresh(c)) {
                LOG.log(Level.INFO, "this node had been taken for dead by the shared log (PostgreSQL) — its "
                        + "heartbeat expired — and registered again; every listener resyncs");
                for (Entry e : entries) {
                    e.resyncPending = true;
                }
            }
            refusedRefreshes = 0;
        } catch (SQLException e) {
            if (UpstreamFailures.isUnavailable(e) || !c.isValid(1)) {
                throw e;
            }
            if (refusedRefreshes++ % 20 == 0) {
                LOG.log(Level.WARNING, "the shared log (PostgreSQL) refused this node's heartbeat (SQLSTATE "
                        + e.getSQLState() + "): check the database user's rights on livestore_node and "
                        + "livestore_interest; until it works, other nodes take this node for dead after interestTtl "
                        + "and stop announcing their commits to it (its periodic head check still catches up)", e);
            }
        }
    }

    private void deliverResyncs() {
        for (Entry e : entries) {
            if (e.resyncPending) {
                e.resyncPending = false;
                e.started = true;
                e.call(e.listener::resync, "resync");
            }
        }
    }

    private void deliver(PGNotification n) {
        if (!channel.equals(n.getName())) {
            return;
        }
        String p = n.getParameter();
        int colon = p == null ? -1 : p.indexOf(':');
        long head;
        try {
            head = Long.parseLong(p.substring(0, Math.max(colon, 0)));
        } catch (RuntimeException malformed) {
            LOG.log(Level.DEBUG, "ignored a notification that is not 'head:storeId': " + p);
            return;
        }
        String storeId = p.substring(colon + 1);
        for (Entry e : entries) {
            if (e.started) {
                e.call(() -> e.listener.changed(storeId, head), "changed('" + storeId + "', " + head + ")");
            }
        }
    }

    /**
     * Waits {@code millis} or until closed. An interrupt is not a close: the upstream is still open and its
     * listeners rely on this thread, so it is logged and the wait goes on (only {@link #close()} ends it).
     */
    private void pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            long nanos;
            while (!closed && (nanos = deadline - System.nanoTime()) > 0) {
                try {
                    wake.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    LOG.log(Level.WARNING, "the thread listening for changes of the shared log (PostgreSQL) was "
                            + "interrupted; it keeps listening until the upstream is closed");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops listening and closes the connection (a pool's connection goes back without its LISTEN). */
    private void disconnect() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try {
            if (!c.isClosed()) {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(1);
                    s.execute("UNLISTEN *");
                    s.execute("RESET application_name");
                }
            }
        } catch (SQLException gone) {
            // a broken connection: closing it is all that is left
        }
        BorrowedConnection.restore(c, previousNetworkTimeout);
        previousNetworkTimeout = null;
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "closing the LISTEN connection failed", e);
        }
    }

    /**
     * One registration: {@code resyncPending} is set by the thread on (re)connect, and for a new one; it
     * hears no change before its first resync ({@code started}, the thread's only), and no call begins
     * once {@link #end()} has returned (a call and {@code end} exclude each other).
     */
    private static final class Entry {
        final ChangeListener listener;
        volatile boolean resyncPending = true;
        boolean started;
        private boolean ended; // guarded by this

        Entry(ChangeListener listener) {
            this.listener = listener;
        }

        synchronized void call(Runnable call, String what) {
            if (ended) {
                return;
            }
            try {
                call.run();
            } catch (RuntimeException | Error x) {
                LOG.log(Level.WARNING, "a change listener failed in " + what + "; it stays registered", x);
            }
        }

        synchronized void end() {
            ended = true;
        }
    }
}
