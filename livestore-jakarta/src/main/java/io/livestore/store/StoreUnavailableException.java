package io.livestore.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A store cannot serve the call right now — still loading, failed to load or open, closed, dropped,
 * the registry shut down, or SQLite refused a commit — and nothing of the call took effect. The same
 * call may succeed later (after a reload, a redeploy, once the load finishes).
 *
 * <p>A meaning class: code (and the JAX-RS layer's problem mapper, which answers HTTP 503) handles the
 * whole family by this type; the concrete subclass and its message id say exactly what happened. A
 * subclass that knows when a retry is worth it gives a {@link #retryAfter()} hint (HTTP Retry-After).
 * Subclasses: {@link StoreOpenException}, {@link StoreRebuildException}, {@link StoreLoadCancelledException},
 * {@link StoreClosedException}, {@link CommitFailedException}, {@link UpstreamUnavailableException},
 * {@link SchemaBehindLogException}, and in the registry
 * {@code StoreLoadException}, {@code StoreLoadTimeoutException}, {@code StoreDroppedException},
 * {@code RegistryClosedException}.
 */
public abstract class StoreUnavailableException extends LiveStoreException {

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     */
    protected StoreUnavailableException(String messageId, String message) {
        super(messageId, message);
    }

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     * @param cause     the underlying failure (for the log; never shown to a client)
     */
    protected StoreUnavailableException(String messageId, String message, Throwable cause) {
        super(messageId, message, cause);
    }

    /** How long a caller should wait before trying again, when this failure knows; empty otherwise. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }
}
