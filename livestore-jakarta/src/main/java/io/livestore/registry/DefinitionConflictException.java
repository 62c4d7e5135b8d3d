package io.livestore.registry;

import io.livestore.store.LiveStoreException;

/**
 * Two different definition instances with the same name were used with one registry; a name identifies one definition.
 *
 * <p>Message id {@code LIVESTORE-0206}.
 */
public class DefinitionConflictException extends LiveStoreException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0206";

    /** @param message what went wrong, naming the definition and storeId concerned */
    public DefinitionConflictException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public DefinitionConflictException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
