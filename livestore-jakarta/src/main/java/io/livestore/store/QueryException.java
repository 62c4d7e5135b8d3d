package io.livestore.store;


/**
 * A query failed: invalid SQL, a parameter of an unsupported type, or a row that cannot be mapped to the requested type.
 *
 * <p>A programming error, hence an {@link IllegalArgumentException}: the query the application wrote is wrong for the store's tables or types, whatever a client sent. (A store that cannot serve a good query throws a {@link StoreUnavailableException}.)
 *
 * <p>Message id {@code LIVESTORE-0150}.
 */
public class QueryException extends IllegalArgumentException implements MessageIdentified {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0150";


    /** @param message what went wrong, in the terms of the code that made the mistake */
    public QueryException(String message) {
        this(message, null);
    }

    /**
     * @param message what went wrong, in the terms of the code that made the mistake
     * @param cause   the underlying failure, or null
     */
    public QueryException(String message, Throwable cause) {
        super(ID + ": " + message, cause);
    }

    @Override
    public String messageId() {
        return ID;
    }
}
