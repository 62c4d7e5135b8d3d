package io.livestore.example.issuetracker.stores;

import io.livestore.cdi.Stores;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Dependent stores: stores whose ids come from another store's data (a workspace's issues, an issue's
 * children), loaded in parallel and retained until the request ends.
 *
 * <p>As in the reference design's workspace view, every load is started first ({@code preload}, which
 * runs on the registry's executor and never throws), and only then is each store taken through the
 * request-scoped {@link Stores} facade — which shares the load already under way, so the request
 * waits about as long as the slowest store rather than the sum of all of them.
 */
@RequestScoped
public class DependentStores {

    @Inject
    StoreRegistry registry;
    @Inject
    Stores stores;

    /** The stores {@code storeIds} of {@code definition}, in the same order, retained for this request. */
    public <S extends Schema> List<Store<S>> load(StoreDefinition<S> definition, List<String> storeIds) {
        for (String id : storeIds) {
            registry.preload(definition, id);
        }
        List<Store<S>> loaded = new ArrayList<>(storeIds.size());
        for (String id : storeIds) {
            loaded.add(stores.get(definition, id));
        }
        return loaded;
    }
}
