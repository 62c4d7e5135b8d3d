package io.livestore.store;

/**
 * A committed event failed validation (for example {@code null} in a required component); nothing was written.
 *
 * <p>Message id {@code LIVESTORE-0121}.
 */
public class InvalidEventException extends EventRejectedException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0121";

    /** @param message what went wrong, naming the store and event concerned */
    public InvalidEventException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public InvalidEventException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
