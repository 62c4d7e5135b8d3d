package io.livestore.cdi;

import io.livestore.store.LiveStoreException;

/**
 * An injected store could not be resolved at run time: no path parameter for its id template, no
 * JAX-RS request where one is needed, a resolver that returned nothing. Deployment reports every case
 * it can know in advance; this covers the ones only a request can tell.
 *
 * <p>Message id {@code LIVESTORE-0311}.
 */
public class StoreResolutionException extends LiveStoreException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0311";

    /** @param message what could not be resolved, naming the injection point */
    public StoreResolutionException(String message) {
        super(ID, message);
    }
}
