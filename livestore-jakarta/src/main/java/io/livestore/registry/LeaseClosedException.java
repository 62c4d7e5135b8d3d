package io.livestore.registry;

import io.livestore.store.LiveStoreException;

/**
 * A lease was used after it was closed.
 *
 * <p>Message id {@code LIVESTORE-0207}.
 */
public class LeaseClosedException extends LiveStoreException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0207";

    /** @param message what went wrong, naming the definition and storeId concerned */
    public LeaseClosedException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public LeaseClosedException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
