package io.livestore.registry;

import io.livestore.store.ConflictException;

/**
 * A storeId was used with a second definition while loaded for another (R12): a storeId belongs to one definition.
 *
 * <p>Message id {@code LIVESTORE-0202}.
 */
public class StoreIdConflictException extends ConflictException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0202";

    /** @param message what went wrong, naming the definition and storeId concerned */
    public StoreIdConflictException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public StoreIdConflictException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
