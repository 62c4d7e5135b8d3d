package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Interleavings found in review: callbacks re-entering the registry, closes racing with accesses. */
class StoreRegistryRaceTest extends RegistryTestSupport {

    final ExecutorService pool = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static void awaitCloseStarted(Store<?> store) {
        TrackedStore<?> tracked = (TrackedStore<?>) store;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!tracked.closeStarted) {
            assertTrue(System.nanoTime() < deadline, "the close never started");
            Thread.onSpinWait();
        }
    }

    @Test
    void aWaiterThatRetriesFromItsCallbackDoesNotDeadlockDrop() throws Exception {
        loader.loadGate = new CountDownLatch(1);
        loader.loadStarted = new CountDownLatch(1);
        StoreRegistry registry = registry(Duration.ofSeconds(60), pool, b -> { });
        AtomicReference<Store<IssueSchema>> retried = new AtomicReference<>();
        registry.getOrLoad(ISSUE, "a").exceptionally(dropped -> {
            // Runs on the dropping thread: it must not hold the registry's locks.
            retried.set(registry.getOrLoad(ISSUE, "a").toCompletableFuture().join());
            return null;
        });
        assertTrue(loader.loadStarted.await(10, TimeUnit.SECONDS));
        Thread dropper = new Thread(() -> registry.drop(ISSUE, "a"));
        dropper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loader.interruptedLoads.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "the drop cancelled the running load");
            Thread.onSpinWait();
        }
        loader.loadGate.countDown(); // lets the retried load through
        dropper.join(10_000);
        assertFalse(dropper.isAlive(), "drop returned");
        assertFalse(retried.get().isClosed());
    }

    @Test
    void closeWaitsForAStoreThatWasAlreadyClosing() throws Exception {
        StoreRegistry registry = registry(Duration.ofMillis(10), pool, b -> { });
        Store<IssueSchema> store = registry.getOrLoad(ISSUE, "a").toCompletableFuture().get(10, TimeUnit.SECONDS);
        loader.closeGate = new CountDownLatch(1);
        advance(10); // expires; its close runs on the pool and is held
        awaitCloseStarted(store);
        Thread closer = new Thread(registry::close);
        closer.start();
        closer.join(200);
        assertTrue(closer.isAlive(), "close() waits for the close already under way (R15)");
        loader.closeGate.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(store.isClosed());
    }

    @Test
    void aFreshInstanceCancelledBeforeItLoadedStillWaitsForTheOldClose() throws Exception {
        StoreRegistry registry = registry(Duration.ofMillis(10), pool, b -> { });
        Store<IssueSchema> first = registry.getOrLoad(ISSUE, "a").toCompletableFuture().get(10, TimeUnit.SECONDS);
        loader.closeGate = new CountDownLatch(1);
        advance(10);
        awaitCloseStarted(first); // the old instance is closing, slowly
        registry.retain(ISSUE, "a", Duration.ZERO).close(); // a second instance, disposed before it loads
        CompletionStage<Store<IssueSchema>> third = registry.getOrLoad(ISSUE, "a");
        assertFalse(third.toCompletableFuture().isDone(), "waits for the oldest close, not just the newest");
        loader.closeGate.countDown();
        Store<IssueSchema> fresh = third.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertNotSame(first, fresh);
        assertFalse(fresh.isClosed(), "opened after the old instance released the file, without SQLITE_BUSY");
    }

    @Test
    void theBoundSparesTheStoreThatHasJustLoaded() {
        StoreRegistry registry = registry(Duration.ofSeconds(60), Runnable::run, b -> b.maxLoadedStores(1));
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
        Store<IssueSchema> b = get(registry, "b");
        assertFalse(b.isClosed(), "handed out open");
        assertFalse(lease.store().isClosed());
        lease.close(); // over the bound with nothing retained: the least recently used goes
        assertEquals(1, registry.stats().loadedStores());
        lease.close();
    }

    @Test
    void aStoreThatClosedItselfIsReplacedByAFreshInstance() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        Store<IssueSchema> broken = get(registry, "a");
        broken.close(); // what a failed rollback does to a store
        Store<IssueSchema> fresh = get(registry, "a");
        assertNotSame(broken, fresh);
        assertFalse(fresh.isClosed());
        assertEquals(1, registry.stats().disposals(DisposalCause.STORE_FAILED));
        try (StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a")) {
            assertSame(fresh, lease.store());
        }
    }

    @Test
    void anInterruptedCallerOnACallerRunsExecutorStillGetsItsStore() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        Thread.currentThread().interrupt();
        try {
            Store<IssueSchema> store = get(registry, "a");
            assertFalse(store.isClosed());
            assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt is kept");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aTransientAccessKeepsAStoreForTheDefaultTimeAfterAShortLease() {
        StoreRegistry registry = registry(Duration.ofMillis(100));
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a", Duration.ofMillis(10));
        Store<IssueSchema> store = lease.store();
        lease.close();
        get(registry, "a"); // an access without retention asks for the default 100 ms
        assertEquals(Duration.ofMillis(100), registry.snapshot().store("a").orElseThrow().unusedCacheTime());
        advance(99);
        assertFalse(store.isClosed());
        advance(1);
        assertTrue(store.isClosed());
    }
}
