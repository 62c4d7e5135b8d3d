package io.livestore.cdi;

import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.cdi.internal.LeasedStore;
import io.livestore.cdi.internal.StoreAdmission;
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
 * Ids are checked and access policies asked as for injection, through the same admission step.
 */
@RequestScoped
public class Stores {

    @Inject
    StoreAdmission admission;

    /** The store {@code storeId} of {@code definition}, retained until the request ends. */
    public <S extends Schema> Store<S> get(StoreDefinition<S> definition, String storeId) {
        StoreLease<S> lease = admission.admitForRequest(definition, List.of(storeId)).get(0);
        lease.store(); // wait for the load here, where a failure belongs to this call
        return LeasedStore.owning(lease); // close() releases this retention, never the shared store
    }

    /**
     * The stores {@code storeIds} of {@code definition}, in that order, retained until the request ends
     * and loaded in parallel: every id is checked (a bad id or a refusal fails the call before anything
     * is loaded), then all are retained at once, then they are waited for, together at most the lease
     * timeout. For dependent stores, whose ids come from another store's data — a workspace's issues.
     */
    public <S extends Schema> List<Store<S>> getAll(StoreDefinition<S> definition, List<String> storeIds) {
        List<StoreLease<S>> leases = admission.admitForRequest(definition, storeIds);
        // One deadline for all of them (the lease timeout), not one per store.
        long deadline = System.nanoTime() + admission.registry().options().leaseTimeout().toNanos();
        List<Store<S>> stores = new ArrayList<>(leases.size());
        for (StoreLease<S> lease : leases) {
            lease.store(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))); // a failure names its store
            stores.add(LeasedStore.owning(lease));
        }
        return stores;
    }

    /** The store {@code storeId} of the definition named {@code definition}, retained until the request ends. */
    @SuppressWarnings("unchecked")
    public <S extends Schema> Store<S> get(String definition, String storeId) {
        return get((StoreDefinition<S>) admission.definition(definition), storeId);
    }
}
