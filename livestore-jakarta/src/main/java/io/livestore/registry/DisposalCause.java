package io.livestore.registry;

/** Why the registry closed a store (R16). */
public enum DisposalCause {
    /** Unused for its unusedCacheTime (R4, R7). */
    EXPIRED,
    /** {@link StoreRegistry#drop} (R10). */
    DROPPED,
    /** {@link StoreRegistry#clear()} (R10). */
    CLEARED,
    /** Least recently used beyond {@link RegistryOptions#maxLoadedStores()} (R14). */
    BOUND,
    /** {@link StoreRegistry#close()} (R15). */
    REGISTRY_CLOSED,
    /** The store closed itself after a storage failure; the next access loads a fresh instance. */
    STORE_FAILED
}
