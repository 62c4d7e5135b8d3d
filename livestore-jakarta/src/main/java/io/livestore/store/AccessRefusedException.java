package io.livestore.store;

/**
 * The application's policy refused the caller a store; nothing was loaded. Retrying without other credentials fails the same way.
 *
 * <p>A meaning class: code (and the JAX-RS layer's problem mapper, which answers HTTP 403) handles the
 * whole family by this type; the concrete subclass and its message id say exactly what happened.
 * Subclasses: {@code io.livestore.cdi.StoreAccessDeniedException}.
 */
public abstract class AccessRefusedException extends LiveStoreException {

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     */
    protected AccessRefusedException(String messageId, String message) {
        super(messageId, message);
    }

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     * @param cause     the underlying failure (for the log; never shown to a client)
     */
    protected AccessRefusedException(String messageId, String message, Throwable cause) {
        super(messageId, message, cause);
    }
}
