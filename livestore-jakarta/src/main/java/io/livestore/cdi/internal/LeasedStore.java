package io.livestore.cdi.internal;

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
 * the retention early; it never closes the shared store. Inside a JAX-RS request the store uses the
 * retention the filter took for the request, so a request counts once per store; {@code close()} then
 * leaves it to the request's end.
 *
 * @param <S> the schema
 */
public final class LeasedStore<S extends Schema> implements Store<S> {

    private final StoreLease<S> lease;
    private final boolean owned;

    private LeasedStore(StoreLease<S> lease, boolean owned) {
        this.lease = lease;
        this.owned = owned;
    }

    /** A store on its own retention: {@link #close()} releases it. */
    public static <S extends Schema> LeasedStore<S> owning(StoreLease<S> lease) {
        return new LeasedStore<>(lease, true);
    }

    /** A store on a retention someone else owns (the request's): {@link #close()} leaves it alone. */
    public static <S extends Schema> LeasedStore<S> borrowing(StoreLease<S> lease) {
        return new LeasedStore<>(lease, false);
    }

    private Store<S> store() {
        return lease.store();
    }

    /** The retention behind this store (not public: a borrowed one belongs to the request). */
    StoreLease<S> lease() {
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
        if (owned) {
            lease.close();
        }
    }

    @Override
    public String toString() {
        return "LeasedStore[" + lease + "]";
    }
}
