package io.livestore.sync;

import io.livestore.store.UpstreamUnavailableException;
import java.sql.SQLException;
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
                retryAfter, cause);
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
        String state = e.getSQLState();
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
