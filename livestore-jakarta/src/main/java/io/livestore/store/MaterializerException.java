package io.livestore.store;

/**
 * A materializer threw while applying a commit; the whole commit was rolled back and the store stays usable.
 *
 * <p>Message id {@code LIVESTORE-0122}.
 */
public class MaterializerException extends EventRejectedException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0122";

    /** @param message what went wrong, naming the store and event concerned */
    public MaterializerException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public MaterializerException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
