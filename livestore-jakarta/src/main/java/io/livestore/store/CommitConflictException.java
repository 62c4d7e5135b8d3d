package io.livestore.store;

/**
 * A commit against the store's upstream log (cluster mode) kept losing to other nodes' commits: each
 * try applied theirs, validated and materialized again, and the allowed number of tries ran out
 * ({@link StoreSettings#maxCommitAttempts()}). Nothing of the commit was written; the store is current
 * with the log, so trying again may succeed (Y3). HTTP 409.
 *
 * <p>Message id {@code LIVESTORE-0124}.
 */
public class CommitConflictException extends ConflictException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0124";

    /** @param message what went wrong, naming the store and how many tries were made */
    public CommitConflictException(String message) {
        super(ID, message);
    }
}
