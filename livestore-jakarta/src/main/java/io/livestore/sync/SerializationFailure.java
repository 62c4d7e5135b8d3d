package io.livestore.sync;

import java.sql.SQLException;

/**
 * PostgreSQL rolled an append's transaction back as a serialization failure or a deadlock's victim
 * (40001, 40P01): nothing was written and the transaction may simply run again. Internal to the append's
 * retry loop; never leaves {@link PostgresUpstream}.
 */
final class SerializationFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** The driver's failure, kept for the report when every attempt failed so. */
    final transient SQLException cause;

    SerializationFailure(SQLException cause) {
        super(null, null, false, false); // a control signal: no stack trace
        this.cause = cause;
    }
}
