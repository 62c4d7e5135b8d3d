package io.livestore.registry;

/**
 * What an access hears when the registry, or the store instance it used or awaited, was closed under
 * it: a {@link RegistryClosedException}, or a {@link StoreDroppedException} saying why the instance went
 * ({@link DisposalCause}). Separate from {@link StoreRegistry} because three places raise them (the
 * registry's accesses, {@link StoreLease}, and {@link EntryLifecycle} when it cancels a load) and their
 * wording belongs in one place, not in the access logic.
 */
final class DisposalExceptions {

    private DisposalExceptions() {
    }

    /** The exception for any access after {@link StoreRegistry#close()}. */
    static RegistryClosedException registryClosed() {
        return new RegistryClosedException("the store registry is closed; no stores are handed out after close()");
    }

    /** The exception for an access to an entry that was disposed under it. */
    static RuntimeException gone(RegistryEntry e) {
        if (e.closeCause == DisposalCause.REGISTRY_CLOSED) {
            return registryClosed();
        }
        String how = e.closeCause == null ? "closed" : switch (e.closeCause) {
            case DROPPED -> "dropped";
            case CLEARED -> "cleared from the registry";
            case BOUND -> "evicted by the maxLoadedStores bound";
            case EXPIRED -> "disposed after its unusedCacheTime";
            case REGISTRY_CLOSED -> "closed with the registry";
            case STORE_FAILED -> "closed after a storage failure";
        };
        StoreDroppedException gone = new StoreDroppedException(e.describe() + " was " + how
                + " while this caller used or awaited it; access it again for a fresh instance");
        gone.concerning(e.definition.name(), e.storeId);
        return gone;
    }
}
