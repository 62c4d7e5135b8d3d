package io.livestore.store;

/**
 * A store could not be opened: its file is unreadable, locked by another process, or its onBoot hook failed.
 *
 * <p>Message id {@code LIVESTORE-0140}.
 */
public class StoreOpenException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0140";

    /** @param message what went wrong, naming the store and event concerned */
    public StoreOpenException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public StoreOpenException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
