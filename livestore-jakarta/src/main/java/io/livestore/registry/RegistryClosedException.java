package io.livestore.registry;

import io.livestore.store.StoreUnavailableException;

/**
 * The registry was closed; it hands out no more stores.
 *
 * <p>Message id {@code LIVESTORE-0201}.
 */
public class RegistryClosedException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0201";

    /** @param message what went wrong, naming the definition and storeId concerned */
    public RegistryClosedException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public RegistryClosedException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
