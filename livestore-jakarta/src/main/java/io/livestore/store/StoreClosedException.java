package io.livestore.store;

/**
 * A call reached a store after it was closed.
 *
 * <p>Message id {@code LIVESTORE-0130}.
 */
public class StoreClosedException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0130";

    /** @param message what went wrong, naming the store and event concerned */
    public StoreClosedException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public StoreClosedException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
