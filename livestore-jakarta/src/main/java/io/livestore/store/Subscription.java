package io.livestore.store;

/** An active {@link Store#subscribe subscription}; closing it stops deliveries. Idempotent. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
