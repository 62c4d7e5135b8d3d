package io.livestore.sync;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * A connection of the upstream's DataSource for one call, with a client-side bound on every wait for
 * PostgreSQL ({@link Connection#setNetworkTimeout}) for as long as it is borrowed: a frozen server or a
 * network partition ends the call whatever the DataSource's own settings (a server's DataSource often has
 * no socket timeout). {@link #close()} restores the connection's previous timeout — a pooled connection
 * goes back as it came — and gives it back; it never throws, so a failing close cannot replace the call's
 * answer (it is logged).
 */
final class BorrowedConnection implements AutoCloseable {

    /** pgjdbc ignores the executor (it sets the socket's timeout); other drivers run the abort on the caller. */
    static final Executor DIRECT = Runnable::run;

    private static final System.Logger LOG = System.getLogger(PostgresUpstream.class.getName());

    private final Connection connection;
    private final Integer previousTimeout; // null: the driver or pool does not support network timeouts

    private BorrowedConnection(Connection connection, Integer previousTimeout) {
        this.connection = connection;
        this.previousTimeout = previousTimeout;
    }

    /** A connection of {@code dataSource} whose waits for an answer last at most {@code networkTimeoutMillis}. */
    static BorrowedConnection of(DataSource dataSource, int networkTimeoutMillis) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            return new BorrowedConnection(c, bound(c, networkTimeoutMillis));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Sets the network timeout; the previous one, or null when the connection does not support it. */
    static Integer bound(Connection c, int networkTimeoutMillis) throws SQLException {
        try {
            int previous = c.getNetworkTimeout();
            c.setNetworkTimeout(DIRECT, networkTimeoutMillis);
            return previous;
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException | AbstractMethodError e) {
            LOG.log(Level.DEBUG, "this DataSource's connections have no network timeout; only the statement "
                    + "timeouts bound the calls", e);
            return null;
        }
    }

    /** Puts {@code previous} back (when not null), if the connection is still open; never throws. */
    static void restore(Connection c, Integer previous) {
        if (previous == null) {
            return;
        }
        try {
            if (!c.isClosed()) {
                c.setNetworkTimeout(DIRECT, previous);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.DEBUG, "restoring the network timeout of a connection failed", e);
        }
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        restore(connection, previousTimeout);
        closeQuietly(connection);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // the call's answer stands; a connection that cannot be given back is the pool's problem
            LOG.log(Level.WARNING, "giving a connection of the shared log (PostgreSQL) back failed", e);
        }
    }
}
