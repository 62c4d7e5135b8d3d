package io.livestore.registry;

import io.livestore.store.StoreUnavailableException;

/**
 * The store was dropped (or its load cancelled) while this caller waited for it or held a lease on it.
 *
 * <p>Message id {@code LIVESTORE-0205}.
 */
public class StoreDroppedException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0205";

    /** @param message what went wrong, naming the definition and storeId concerned */
    public StoreDroppedException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public StoreDroppedException(String message, Throwable cause) {
        super(ID, message, cause);
    }
}
