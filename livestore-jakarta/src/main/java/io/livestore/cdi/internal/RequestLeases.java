package io.livestore.cdi.internal;

import io.livestore.registry.StoreLease;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases one request holds, released together when it ends; the ones {@link StoreAdmission} took
 * for the request's plans are found by plan, so an injection uses the retention the preload filter took
 * and resolves no id again. A plain object behind the request-scoped {@link StoreRequestContext}, so a
 * live query can keep hold of it after the request: some servers (Payara) never destroy the request
 * scope of a Server-Sent Events request.
 */
final class RequestLeases {

    private volatile Map<String, String> pathParameters;
    private final List<StoreLease<?>> held = new ArrayList<>();
    private final Map<StorePlan, StoreLease<?>> byPlan = new IdentityHashMap<>();
    private boolean released;

    /** The matched JAX-RS path parameters, or null outside a matched JAX-RS request. */
    Map<String, String> pathParameters() {
        return pathParameters;
    }

    void pathParameters(Map<String, String> parameters) {
        this.pathParameters = parameters == null ? null : Map.copyOf(parameters);
    }

    /**
     * Keeps a lease until the request ends.
     *
     * @throws IllegalStateException once the request has ended; the lease is released then
     */
    synchronized void hold(StoreLease<?> lease) {
        if (released) {
            lease.close(); // the request is over: keeping it would retain the store forever
            throw new IllegalStateException("LIVESTORE-0315: the request has ended; its stores were released");
        }
        for (StoreLease<?> l : held) {
            if (l == lease) {
                return; // one lease serving two plans is released once
            }
        }
        held.add(lease);
    }

    /** Keeps a lease until the request ends and lets the injections of {@code plan} use it. */
    synchronized void hold(StorePlan plan, StoreLease<?> lease) {
        hold(lease);
        byPlan.put(plan, lease);
    }

    /**
     * The lease this request holds for the plan, or null. A store dropped during the request is not
     * shared on: the injection then retains a fresh instance (R11).
     */
    synchronized StoreLease<?> leaseFor(StorePlan plan) {
        StoreLease<?> lease = byPlan.get(plan);
        return lease != null && lease.isLive() ? lease : null;
    }

    /**
     * Gives up the live lease this request took for its plans on a store (the preload filter's, which
     * injections only borrow) to a new owner, who releases it: the request's end no longer does, and no
     * later injection of the request uses it. Null when the request has none. Leases an injection owns
     * are never handed over: the injecting bean's end releases them.
     */
    synchronized StoreLease<?> handOver(String definition, String storeId) {
        for (StoreLease<?> lease : byPlan.values()) {
            if (lease.isLive() && lease.storeId().equals(storeId) && lease.definition().name().equals(definition)) {
                held.remove(lease);
                byPlan.values().removeIf(l -> l == lease);
                return lease;
            }
        }
        return null;
    }

    /** The number of leases held. */
    synchronized int size() {
        return held.size();
    }

    /** Releases every lease (idempotent); later {@link #hold} calls fail. */
    synchronized void release() {
        released = true;
        for (StoreLease<?> lease : held) {
            lease.close();
        }
        held.clear();
        byPlan.clear();
    }
}
