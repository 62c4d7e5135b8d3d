package io.livestore.cdi;

import io.livestore.registry.StoreLease;
import io.livestore.store.BootReport;
import io.livestore.store.CommittedEvent;
import io.livestore.store.Event;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.Subscription;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code Store<S>} that injection hands out: it forwards to the registry's store and holds a
 * retention on it for the life of the bean that injected it (C4). The first call waits for the load,
 * which the JAX-RS filter has usually done before the resource method runs. {@link #close()} releases
 * the retention early; it never closes the shared store.
 *
 * @param <S> the schema
 */
public final class LeasedStore<S extends Schema> implements Store<S> {

    private final StoreLease<S> lease;

    LeasedStore(StoreLease<S> lease) {
        this.lease = lease;
    }

    private Store<S> store() {
        return lease.store();
    }

    /** The retention behind this store. */
    public StoreLease<S> lease() {
        return lease;
    }

    @Override
    public String storeId() {
        return lease.storeId();
    }

    @Override
    public String definitionName() {
        return lease.definition().name();
    }

    @Override
    public long head() {
        return store().head();
    }

    @Override
    public long commit(Event... events) {
        return store().commit(events);
    }

    @Override
    public long commit(List<? extends Event> events) {
        return store().commit(events);
    }

    @Override
    public <T> T query(Query<T> query) {
        return store().query(query);
    }

    @Override
    public <T> Subscription subscribe(Query<T> query, Consumer<? super T> onResult) {
        return store().subscribe(query, onResult);
    }

    @Override
    public List<CommittedEvent> eventsSince(long seq) {
        return store().eventsSince(seq);
    }

    @Override
    public List<CommittedEvent> eventsSince(long seq, int limit) {
        return store().eventsSince(seq, limit);
    }

    @Override
    public BootReport bootReport() {
        return store().bootReport();
    }

    @Override
    public boolean isClosed() {
        return !lease.isOpen() || store().isClosed();
    }

    /** Releases this injection's retention (idempotent); the shared store stays open for others. */
    @Override
    public void close() {
        lease.close();
    }

    @Override
    public String toString() {
        return "LeasedStore[" + lease + "]";
    }
}
