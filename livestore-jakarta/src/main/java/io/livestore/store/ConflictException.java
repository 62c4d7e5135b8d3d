package io.livestore.store;

/**
 * The call conflicts with the current state of the registry (a storeId already in use by another
 * definition) or of a store's upstream log (other nodes' commits kept coming first); it can succeed once
 * that state changes.
 *
 * <p>A meaning class: code (and the JAX-RS layer's problem mapper, which answers HTTP 409) handles the
 * whole family by this type; the concrete subclass and its message id say exactly what happened.
 * Subclasses: {@link CommitConflictException}, and in the registry {@code io.livestore.registry.StoreIdConflictException}.
 */
public abstract class ConflictException extends LiveStoreException {

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     */
    protected ConflictException(String messageId, String message) {
        super(messageId, message);
    }

    /**
     * @param messageId the stable message id of the concrete exception
     * @param message   what went wrong, in the caller's terms
     * @param cause     the underlying failure (for the log; never shown to a client)
     */
    protected ConflictException(String messageId, String message, Throwable cause) {
        super(messageId, message, cause);
    }
}
