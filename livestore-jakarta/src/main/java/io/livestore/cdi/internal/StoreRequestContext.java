package io.livestore.cdi.internal;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;

/**
 * The current request's store state — its path parameters and its leases ({@link RequestLeases}) —
 * released when the request scope ends. Only {@link StoreAdmission} changes it: the path parameters
 * come in through {@link StoreAdmission#admitRequest}, never through a setter.
 */
@RequestScoped
public class StoreRequestContext {

    private final RequestLeases leases = new RequestLeases();

    /** This request's leases (the object itself, which outlives the request scope if someone keeps it). */
    RequestLeases leases() {
        return leases;
    }

    /** The number of leases held for this request. */
    public int heldLeases() {
        return leases.size();
    }

    @PreDestroy
    void release() {
        leases.release();
    }
}
