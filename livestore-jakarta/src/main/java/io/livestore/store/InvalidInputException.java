package io.livestore.store;

/**
 * The caller gave an input the library refuses before doing anything with it (a malformed storeId or definition name): fix the input; retrying the same call fails the same way.
 *
 * <p>A meaning class: code (and the JAX-RS layer's problem mapper, which answers HTTP 400) handles the
 * whole family by this type; the concrete subclass and its message id say exactly what happened.
 * Subclasses: {@link InvalidStoreIdException}.
 */
public abstract class InvalidInputException extends LiveStoreException {

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     */
    protected InvalidInputException(String messageId, String message) {
        super(messageId, message);
    }

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     * @param cause     the underlying failure (for the log; never shown to a client)
     */
    protected InvalidInputException(String messageId, String message, Throwable cause) {
        super(messageId, message, cause);
    }
}
