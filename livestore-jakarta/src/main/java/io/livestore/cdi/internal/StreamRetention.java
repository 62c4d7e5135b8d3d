package io.livestore.cdi.internal;

import io.livestore.registry.StoreLease;
import io.livestore.store.Schema;

/**
 * A live query's hold on its store, from {@link StoreAdmission#admitForStream}: its one lease, and the
 * request it started in, whose remaining leases it releases when it ends — a server may never end the
 * request scope of a Server-Sent Events request (Payara), and then the stream's end is the last moment
 * anything of that request is known to be over.
 *
 * @param <S> the schema
 */
public final class StreamRetention<S extends Schema> implements AutoCloseable {

    private final StoreLease<S> lease;
    private final RequestLeases request;

    StreamRetention(StoreLease<S> lease, RequestLeases request) {
        this.lease = lease;
        this.request = request;
    }

    /** The stream's lease. */
    public StoreLease<S> lease() {
        return lease;
    }

    /** Releases the stream's lease and what its request still holds (idempotent). */
    @Override
    public void close() {
        try {
            lease.close();
        } finally {
            if (request != null) {
                request.release();
            }
        }
    }
}
