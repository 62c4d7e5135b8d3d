package io.livestore.store;

/**
 * A commit was refused because of its events (unknown type, invalid values, a materializer that rejected one); nothing was written. Retrying the same events fails the same way.
 *
 * <p>A meaning class: code (and the JAX-RS layer's problem mapper, which answers HTTP 422) handles the
 * whole family by this type; the concrete subclass and its message id say exactly what happened.
 * Subclasses: {@link UnknownEventException}, {@link InvalidEventException}, {@link MaterializerException}.
 */
public abstract class EventRejectedException extends LiveStoreException {

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     */
    protected EventRejectedException(String messageId, String message) {
        super(messageId, message);
    }

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     * @param cause     the underlying failure (for the log; never shown to a client)
     */
    protected EventRejectedException(String messageId, String message, Throwable cause) {
        super(messageId, message, cause);
    }
}
