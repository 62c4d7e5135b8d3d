package io.livestore.store;

/**
 * Opening a store was cancelled (dropped, interrupted) before it finished; nothing was left open.
 *
 * <p>Message id {@code LIVESTORE-0141}.
 */
public class StoreLoadCancelledException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0141";

    /** @param message what went wrong, naming the store and event concerned */
    public StoreLoadCancelledException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public StoreLoadCancelledException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
