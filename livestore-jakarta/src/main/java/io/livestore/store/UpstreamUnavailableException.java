package io.livestore.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A store's upstream log (PostgreSQL in cluster mode) cannot be reached: nothing was acknowledged, and
 * the same call may succeed once it is back (Y3, Y9). HTTP 503 with Retry-After.
 *
 * <p>Message id {@code LIVESTORE-0160}.
 */
public class UpstreamUnavailableException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0160";

    private final Duration retryAfter;
    private final boolean outcomeUnknown;

    /**
     * An upstream that could not be reached: the call had no effect.
     *
     * @param message    what could not be done, in the caller's terms (never SQL or addresses)
     * @param retryAfter how long to wait before trying again
     * @param cause      the driver's failure, for the log
     */
    public UpstreamUnavailableException(String message, Duration retryAfter, Throwable cause) {
        this(message, retryAfter, cause, false);
    }

    /**
     * @param message        what could not be done, in the caller's terms (never SQL or addresses)
     * @param retryAfter     how long to wait before trying again
     * @param cause          the driver's failure, for the log
     * @param outcomeUnknown an append whose answer was lost (cut off during its COMMIT): it may have been
     *                       written; retrying it with the same event ids is safe (the SPI recognises them)
     */
    public UpstreamUnavailableException(String message, Duration retryAfter, Throwable cause, boolean outcomeUnknown) {
        super(ID, message, cause);
        this.retryAfter = retryAfter;
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * True for an append whose answer was lost: it may have been written. False when the call had no
     * effect (the upstream could not be reached, timed out before committing, or refused under load).
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
