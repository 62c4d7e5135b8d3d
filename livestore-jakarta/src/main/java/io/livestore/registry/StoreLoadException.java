package io.livestore.registry;

import io.livestore.store.StoreUnavailableException;

/**
 * Loading a store failed. Every waiter of the same load receives this same instance (R9); the registry then forgets the failure, so the next access loads again. The cause is the loader's exception.
 *
 * <p>Message id {@code LIVESTORE-0203}.
 */
public class StoreLoadException extends StoreUnavailableException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0203";

    /** @param message what went wrong, naming the definition and storeId concerned */
    public StoreLoadException(String message) {
        super(ID, message);
    }

    /**
     * @param message what went wrong, naming the definition and storeId concerned
     * @param cause   the underlying failure
     */
    public StoreLoadException(String message, Throwable cause) {
        super(ID, message, cause);
    }

    /**
     * The cause's hint when it has one: a load that failed because the store's upstream log could not be
     * reached (cluster mode) says when to try again.
     */
    @Override
    public java.util.Optional<java.time.Duration> retryAfter() {
        return getCause() instanceof io.livestore.store.StoreUnavailableException unavailable
                ? unavailable.retryAfter() : java.util.Optional.empty();
    }
}
