package io.livestore.store;

/**
 * A commit contained an event type that the store's schema does not declare; nothing was written.
 *
 * <p>Message id {@code LIVESTORE-0120}.
 */
public class UnknownEventException extends EventRejectedException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0120";

    /** @param message what went wrong, naming the store and event concerned */
    public UnknownEventException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public UnknownEventException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
