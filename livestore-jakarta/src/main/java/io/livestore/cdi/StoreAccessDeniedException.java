package io.livestore.cdi;

import io.livestore.store.AccessRefusedException;

/**
 * A {@link StoreAccessPolicy} refused a store for the current request; nothing was loaded.
 *
 * <p>Message id {@code LIVESTORE-0320}.
 */
public class StoreAccessDeniedException extends AccessRefusedException {

    /** The stable message id of this exception. */
    public static final String ID = "LIVESTORE-0320";

    /**
     * @param definition the definition's name
     * @param storeId    the storeId refused
     */
    public StoreAccessDeniedException(String definition, String storeId) {
        super(ID, "access to store '" + storeId + "' (definition '" + definition + "') was refused for this request");
        concerning(definition, storeId);
    }
}
