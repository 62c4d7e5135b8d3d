package io.livestore.registry;

import io.livestore.registry.spi.StoreLoader;
import io.livestore.store.CancellationSignal;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StoreLoader} over the real one that counts loads, can fail or hold them, and wraps each
 * store so tests see when it is closed and can hold its close.
 */
final class TestLoader implements StoreLoader {

    final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
    final List<TrackedStore<?>> opened = new CopyOnWriteArrayList<>();
    /** Failures to throw, consumed one per load; null entries mean succeed. */
    final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    volatile CountDownLatch loadGate;
    volatile CountDownLatch loadStarted = new CountDownLatch(0);
    volatile CountDownLatch closeGate;
    volatile boolean sawCancel;
    final AtomicInteger interruptedLoads = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong closeSequence = new java.util.concurrent.atomic.AtomicLong();

    int loads(String storeId) {
        AtomicInteger n = loads.get(storeId);
        return n == null ? 0 : n.get();
    }

    int totalLoads() {
        return loads.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    long openStores() {
        return opened.stream().filter(s -> !s.isClosed()).count();
    }

    @Override
    public Store<?> load(StoreDefinition<?> definition, StoreOpener<?> opener, String storeId, CancellationSignal cancel)
            throws Exception {
        loads.computeIfAbsent(storeId, k -> new AtomicInteger()).incrementAndGet();
        loadStarted.countDown();
        CountDownLatch gate = loadGate;
        try {
            if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
        } catch (InterruptedException e) {
            interruptedLoads.incrementAndGet();
            throw e;
        }
        if (cancel.isCancelled()) {
            sawCancel = true;
        }
        if (!failures.isEmpty()) {
            RuntimeException failure = failures.remove(0);
            if (failure != null) {
                throw failure;
            }
        }
        TrackedStore<?> store = new TrackedStore<>(opener.open(storeId), this);
        opened.add(store);
        return store;
    }
}
