package io.livestore.registry;

import io.livestore.store.StoreUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A caller stopped waiting for a load after its timeout. The load itself goes on for other waiters (R13),
 * so a retry soon is likely to find the store: {@link #retryAfter()} says when (one second unless the
 * thrower knows better, e.g. the preload deadline).
 *
 * <p>Message id {@code LIVESTORE-0204}.
 */
public class StoreLoadTimeoutException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0204";

    private static final Duration SOON = Duration.ofSeconds(1);

    private final Duration retryAfter;

    /** @param message what went wrong, naming the definition and storeId concerned */
    public StoreLoadTimeoutException(String message) {
        this(message, SOON, null);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public StoreLoadTimeoutException(String message, Throwable cause) {
        this(message, SOON, cause);
    }

    /**
     * @param message    what went wrong, naming the definition and storeId concerned
     * @param retryAfter when a retry is worth it (at least a second is announced)
     * @param cause      the underlying failure, or null
     */
    public StoreLoadTimeoutException(String message, Duration retryAfter, Throwable cause) {
        super(ID, message, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter").compareTo(SOON) < 0 ? SOON : retryAfter;
    }

    /** When a retry is worth it: the load goes on meanwhile. Never empty, at least one second. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(retryAfter);
    }
}
