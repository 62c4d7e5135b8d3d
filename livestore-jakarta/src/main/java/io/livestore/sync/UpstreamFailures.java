package io.livestore.sync;

import io.livestore.store.UpstreamUnavailableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * Turns the driver's failures into the caller's terms: which store, what could not be done — never the
 * SQL, the host or the driver's message (those stay in the cause, for the log).
 */
final class UpstreamFailures {

    /** SQLSTATE of a unique constraint violated. */
    static final String UNIQUE_VIOLATION = "23505";
    /** SQLSTATE of a value the column's type refuses (json that is not JSON). */
    static final String INVALID_TEXT = "22P02";

    private final Duration retryAfter;

    UpstreamFailures(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /**
     * The failure of doing {@code what} (which names the store), classified by SQLSTATE: an outage or a
     * timeout is an {@link UpstreamUnavailableException} (try again later); anything else — permission
     * denied, a dropped table, a value PostgreSQL refuses — is no outage, and says so with its SQLSTATE.
     */
    RuntimeException failed(String what, SQLException cause) {
        if (isUnavailable(cause)) {
            return unavailable(what, cause);
        }
        return new IllegalStateException(what + ": the shared log (PostgreSQL) refused it with SQLSTATE "
                + state(cause) + " — not an outage: check the database user's rights and the log's tables", cause);
    }

    /**
     * Whether PostgreSQL cannot be reached or did not answer in time: connection errors (class 08), the
     * server shutting down or starting up (57P01–57P03), out of resources (class 53), a statement or lock
     * timeout (57014, 55P03), the driver's or pool's transient/recoverable connection exceptions, and a
     * failure without any SQLSTATE (a driver or pool that does not say: taken as an outage, as before).
     */
    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLTimeoutException) {
                return true;
            }
        }
        String state = state(e);
        return state == null || state.startsWith("08") || state.startsWith("53") || state.equals("57P01")
                || state.equals("57P02") || state.equals("57P03") || isTimeout(e);
    }

    /**
     * Whether a statement that commits by itself (autocommit) failed without PostgreSQL saying that it
     * rolled back: the connection broke or timed out (class 08, the driver's connection exceptions, no
     * SQLSTATE at all) or the server ended the session (57P01–57P03), possibly after the commit. Any other
     * SQLSTATE is PostgreSQL's own answer, and its transaction was rolled back.
     */
    static boolean isAnswerLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLRecoverableException || t instanceof SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
        }
        String state = state(e);
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** The log could not be reached or did not answer in time while doing {@code what}. */
    UpstreamUnavailableException unavailable(String what, SQLException cause) {
        return new UpstreamUnavailableException(what + ": the shared log (PostgreSQL) "
                + (isTimeout(cause) ? "did not answer in time" : "cannot be reached") + "; try again later",
                retryAfter, cause);
    }

    /** A commit that may or may not have happened: a retry with the same event ids is safe (Y3). */
    UpstreamUnavailableException outcomeUnknown(String storeId, SQLException cause) {
        return new UpstreamUnavailableException("appending to store '" + storeId + "': the connection to the "
                + "shared log (PostgreSQL) was lost while committing, so whether the events were written is "
                + "unknown; retrying with the same events is safe (they are recognised by their event ids)",
                retryAfter, cause, true);
    }

    /** An append that PostgreSQL rolled back as a serialization failure or deadlock on every attempt. */
    UpstreamUnavailableException contended(String storeId, SQLException cause) {
        return new UpstreamUnavailableException("appending to store '" + storeId + "': the shared log (PostgreSQL) "
                + "is too busy with concurrent appends; nothing was written, try again later", retryAfter, cause);
    }

    /** SQLSTATE 40001 (serialization_failure) or 40P01 (deadlock_detected): the transaction may simply run again. */
    static boolean isSerializationFailure(SQLException e) {
        String state = state(e);
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** SQLSTATE 57014 (query_canceled: statement_timeout) or 55P03 (lock_not_available). */
    static boolean isTimeout(SQLException e) {
        String state = state(e);
        return "57014".equals(state) || "55P03".equals(state);
    }

    /** The SQLSTATE of the first exception in a chain that has one. */
    static String state(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null) {
                return x.getSQLState();
            }
        }
        return null;
    }
}
