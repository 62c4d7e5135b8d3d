package io.livestore.registry.spi;

import io.livestore.registry.StoreDefinition;
import io.livestore.store.CancellationSignal;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;

/**
 * How the registry turns (definition, storeId) into an open store. The default opens the store with
 * the definition's {@link StoreOpener}; replace it to wrap stores (metrics, tracing) or, in tests, to
 * count, slow down or fail loads. It runs on the registry's executor, never on the caller's thread.
 */
@FunctionalInterface
public interface StoreLoader {

    /** Opens through the definition's opener. */
    StoreLoader DEFAULT = (definition, opener, storeId, cancel) -> opener.open(storeId, cancel);

    /**
     * Opens one store.
     *
     * @param definition the definition the store belongs to
     * @param opener     the opener the registry made for it (definition options over registry defaults)
     * @param storeId    the validated storeId
     * @param cancel     true once the load is no longer wanted (dropped, disposed, registry closing)
     * @return the open store; it must belong to {@code definition}'s schema
     * @throws Exception anything; every waiter of this load receives it (R9)
     */
    Store<?> load(StoreDefinition<?> definition, StoreOpener<?> opener, String storeId, CancellationSignal cancel)
            throws Exception;
}
