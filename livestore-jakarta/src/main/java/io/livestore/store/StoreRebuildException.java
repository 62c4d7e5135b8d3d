package io.livestore.store;

/**
 * Rebuilding a store's tables from its log failed (an event the schema no longer knows, a materializer that throws on replay); the store's files are unchanged.
 *
 * <p>Message id {@code LIVESTORE-0142}.
 */
public class StoreRebuildException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0142";

    /** @param message what went wrong, naming the store and event concerned */
    public StoreRebuildException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public StoreRebuildException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
