package io.livestore.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Opens the one connection a {@link PostgresUpstream} keeps for {@code LISTEN} (Y5). That connection
 * is held as long as the upstream listens and is closed only when it failed or the upstream closes —
 * it must never serve as an ordinary pooled connection meanwhile, because a pooled connection that
 * still listens would collect notifications for whoever borrows it next, and a pool may validate,
 * recycle or time it out under the listener.
 *
 * <p>Which source to use:
 * <ul>
 *   <li>Java SE ({@link PostgresUpstream#connect}): the driver itself, outside the pool — nothing to do.</li>
 *   <li>On a server, preferably a second, non-pooled DataSource (or one with its own pool of one), passed
 *       as {@code ListenConnectionSource.of(thatDataSource)}.</li>
 *   <li>Else {@link #of(DataSource) of(theAppDataSource)}: one connection is borrowed from the pool for
 *       good (size the pool one larger); before it is handed back (on failure or close) it stops listening.</li>
 * </ul>
 */
@FunctionalInterface
public interface ListenConnectionSource {

    /** A new connection to the log's database; the caller closes it. */
    Connection open() throws SQLException;

    /** Connections from {@code dataSource}, each kept by the listener until it fails or the upstream closes. */
    static ListenConnectionSource of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return dataSource::getConnection;
    }
}
