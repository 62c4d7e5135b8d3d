package io.livestore.cdi;

import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Stores whose ids are known only at run time (C7) — a workspace lists issue ids, each issue its own
 * store — retained until the current request ends:
 *
 * <pre>{@code
 * @Inject Stores stores;
 * for (String id : workspace.query(ISSUE_IDS)) {
 *     Store<IssueSchema> issue = stores.get(ISSUE, id);
 * }
 * }</pre>
 *
 * Access policies apply as for injection.
 */
@RequestScoped
public class Stores {

    @Inject
    StoreInjections injections;
    @Inject
    StoreRequestContext context;

    /** The store {@code storeId} of {@code definition}, retained until the request ends. */
    public <S extends Schema> Store<S> get(StoreDefinition<S> definition, String storeId) {
        StoreLease<S> lease = injections.retain(definition, storeId);
        context.hold(lease);
        lease.store(); // wait for the load here, where a failure belongs to this call
        return new LeasedStore<>(lease); // close() releases this retention, never the shared store
    }

    /** The store {@code storeId} of the definition named {@code definition}, retained until the request ends. */
    @SuppressWarnings("unchecked")
    public <S extends Schema> Store<S> get(String definition, String storeId) {
        return get((StoreDefinition<S>) injections.definition(definition), storeId);
    }
}
