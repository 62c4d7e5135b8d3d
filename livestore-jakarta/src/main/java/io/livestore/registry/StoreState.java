package io.livestore.registry;

/** Where a store is in its registry lifecycle (R16). */
public enum StoreState {
    /** Being opened (or waiting for the previous instance of the same storeId to finish closing). */
    LOADING,
    /** Loaded and retained by at least one lease or request. */
    ACTIVE,
    /** Loaded, retained by nobody; disposed when its unusedCacheTime has passed. */
    INACTIVE,
    /** Being closed; an access now waits for the close and then loads a fresh instance (R11). */
    CLOSING
}
