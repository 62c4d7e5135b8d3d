package io.livestore.cdi;

import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreIds;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The stores {@code storeIds} of {@code definition}, in that order, retained until the request ends
     * and loaded in parallel: every id is checked (a bad id or a refusal fails the call before anything
     * is loaded), then all are retained at once, then they are waited for, together at most the lease
     * timeout. For dependent stores, whose ids come from another store's data — a workspace's issues.
     */
    public <S extends Schema> List<Store<S>> getAll(StoreDefinition<S> definition, List<String> storeIds) {
        StoreDefinition<S> canonical = injections.canonical(definition);
        for (String storeId : storeIds) {
            StoreIds.requireValid(canonical.name(), storeId);
            injections.checkAccess(canonical.name(), storeId);
        }
        List<StoreLease<S>> leases = new ArrayList<>(storeIds.size());
        for (String storeId : storeIds) {
            StoreLease<S> lease = injections.registry().retain(canonical, storeId); // checked above
            context.hold(lease);
            leases.add(lease);
        }
        // One deadline for all of them (the lease timeout), not one per store.
        long deadline = System.nanoTime() + injections.registry().options().leaseTimeout().toNanos();
        List<Store<S>> stores = new ArrayList<>(leases.size());
        for (StoreLease<S> lease : leases) {
            lease.store(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))); // a failure names its store
            stores.add(new LeasedStore<>(lease));
        }
        return stores;
    }

    /** The store {@code storeId} of the definition named {@code definition}, retained until the request ends. */
    @SuppressWarnings("unchecked")
    public <S extends Schema> Store<S> get(String definition, String storeId) {
        return get((StoreDefinition<S>) injections.definition(definition), storeId);
    }
}
