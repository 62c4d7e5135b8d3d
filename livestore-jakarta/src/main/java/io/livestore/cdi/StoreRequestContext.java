package io.livestore.cdi;

import io.livestore.registry.StoreLease;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the current request knows about stores: the matched JAX-RS path parameters (filled in by the
 * JAX-RS filter, so this layer needs no JAX-RS API), and the leases taken for the request — by the
 * preload filter and by {@link Stores} — released when the request ends.
 */
@RequestScoped
public class StoreRequestContext {

    private volatile Map<String, String> pathParameters;
    private final List<StoreLease<?>> leases = new ArrayList<>();
    private final List<StoreLease<?>> forInjections = new ArrayList<>();
    private boolean released;

    /** The current request's path parameters, or null outside a JAX-RS request. */
    public Map<String, String> getPathParameters() {
        return pathParameters;
    }

    /** Set by the JAX-RS integration once a resource method has been matched. */
    public void setPathParameters(Map<String, String> pathParameters) {
        this.pathParameters = pathParameters == null ? null : Map.copyOf(pathParameters);
    }

    /** Keeps a lease until the request ends. */
    public synchronized void hold(StoreLease<?> lease) {
        if (released) {
            lease.close(); // the request is over: keeping it would retain the store forever
            throw new IllegalStateException("the request has ended; its stores were released");
        }
        leases.add(lease);
    }

    /**
     * Keeps a lease until the request ends, and lets this request's injections of the same store use
     * it instead of retaining again: one retention per store and request (the preload filter's).
     */
    public synchronized void holdForInjections(StoreLease<?> lease) {
        hold(lease);
        forInjections.add(lease);
    }

    /** The lease this request holds for injections of the store, or null. */
    synchronized StoreLease<?> leaseForInjections(String definition, String storeId) {
        for (StoreLease<?> lease : forInjections) {
            // A store dropped during the request is not shared on: the injection then gets a fresh instance (R11).
            if (lease.isLive() && lease.storeId().equals(storeId) && lease.definition().name().equals(definition)) {
                return lease;
            }
        }
        return null;
    }

    /** The number of leases held for this request. */
    public synchronized int heldLeases() {
        return leases.size();
    }

    @PreDestroy
    synchronized void release() {
        released = true;
        for (StoreLease<?> lease : leases) {
            lease.close();
        }
        leases.clear();
        forInjections.clear();
    }
}
