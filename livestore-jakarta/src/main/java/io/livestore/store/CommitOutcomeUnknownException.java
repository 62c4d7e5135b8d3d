package io.livestore.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A commit in cluster mode whose outcome is unknown: the shared event log's answer to it was lost twice
 * (the connection broke while the log was committing it), so it may or may not be in the log. It was not
 * acknowledged; if it was written, it appears in the store like any other node's commit (its events keep
 * their ids), and if not, it never will. Read the store before committing the same change again: a
 * blind retry is a new commit. HTTP 503 with Retry-After.
 *
 * <p>Message id {@code LIVESTORE-0162}.
 */
public class CommitOutcomeUnknownException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0162";

    private final Duration retryAfter;

    /**
     * @param message    what happened, naming the store
     * @param retryAfter how long to wait before reading again
     * @param cause      the upstream's failure, for the log
     */
    public CommitOutcomeUnknownException(String message, Duration retryAfter, Throwable cause) {
        super(ID, message, cause);
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
