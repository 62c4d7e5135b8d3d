package io.livestore.store;

/**
 * SQLite refused a commit (disk full, I/O error); the commit was rolled back, nothing of it is in the log or the tables.
 *
 * <p>Message id {@code LIVESTORE-0123}.
 */
public class CommitFailedException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0123";

    /** @param message what went wrong, naming the store and event concerned */
    public CommitFailedException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the store and event concerned
     * @param cause   the underlying failure
     */
    public CommitFailedException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
