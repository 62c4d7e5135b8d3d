package io.livestore.store;

/**
 * A query failed: invalid SQL, a parameter of an unsupported type, or a row that cannot be mapped to the requested type.
 *
 * <p>Message id {@code LIVESTORE-0150}.
 */
public class QueryException extends LiveStoreException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0150";

    /** @param message what went wrong, naming the store and event concerned */
    public QueryException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public QueryException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
