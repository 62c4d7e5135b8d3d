package io.livestore.registry;

import io.livestore.store.BootReport;
import io.livestore.store.CommittedEvent;
import io.livestore.store.Event;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.Subscription;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A store that forwards to a real one and records (and can hold) its close. */
final class TrackedStore<S extends Schema> implements Store<S> {

    private final Store<S> delegate;
    private final TestLoader loader;
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean closeStarted;
    /** Position of this close in the loader's sequence of closes; 0 while open. */
    volatile long closeSeq;

    TrackedStore(Store<S> delegate, TestLoader loader) {
        this.delegate = delegate;
        this.loader = loader;
    }

    @Override
    public void close() {
        if (!closeStarted) {
            closeSeq = loader.closeSequence.incrementAndGet();
        }
        closeStarted = true;
        CountDownLatch gate = loader.closeGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closes.incrementAndGet();
        delegate.close();
    }

    @Override
    public String storeId() {
        return delegate.storeId();
    }

    @Override
    public String definitionName() {
        return delegate.definitionName();
    }

    @Override
    public long head() {
        return delegate.head();
    }

    @Override
    public long commit(Event... events) {
        return delegate.commit(events);
    }

    @Override
    public long commit(List<? extends Event> events) {
        return delegate.commit(events);
    }

    @Override
    public <T> T query(Query<T> query) {
        return delegate.query(query);
    }

    @Override
    public <T> Subscription subscribe(Query<T> query, Consumer<? super T> onResult) {
        return delegate.subscribe(query, onResult);
    }

    @Override
    public List<CommittedEvent> eventsSince(long seq) {
        return delegate.eventsSince(seq);
    }

    @Override
    public List<CommittedEvent> eventsSince(long seq, int limit) {
        return delegate.eventsSince(seq, limit);
    }

    @Override
    public BootReport bootReport() {
        return delegate.bootReport();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }
}
