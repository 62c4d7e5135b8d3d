package io.livestore.registry;

import io.livestore.store.LiveStoreException;

/**
 * A caller stopped waiting for a load after its timeout. The load itself goes on for other waiters (R13).
 *
 * <p>Message id {@code LIVESTORE-0204}.
 */
public class StoreLoadTimeoutException extends LiveStoreException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0204";

    /** @param message what went wrong, naming the definition and storeId concerned */
    public StoreLoadTimeoutException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public StoreLoadTimeoutException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
