package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.InvalidStoreIdException;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Loading: R1, R2, R7 (preload), R9 (failures), R13 (giving up), input validation. LiveStore tests 1–8. */
class StoreRegistryLoadingTest extends RegistryTestSupport {

    @Test
    void loadingReturnsAPendingResult() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        CompletionStage<Store<IssueSchema>> stage = registry.getOrLoad(ISSUE, "a");
        assertFalse(stage.toCompletableFuture().isDone(), "the load runs on the executor, not the caller");
        assertEquals(1, executor.queued());
        executor.runAll();
        assertEquals("a", now(stage).storeId());
    }

    @Test
    void cachedResultIsReturnedAtOnceAsTheSameInstance() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        Store<IssueSchema> first = get(registry, "a");
        CompletionStage<Store<IssueSchema>> again = registry.getOrLoad(ISSUE, "a");
        assertTrue(again.toCompletableFuture().isDone());
        assertSame(first, now(again));
        assertEquals(1, loader.loads("a"));
        assertEquals(1, registry.stats().misses());
        assertEquals(1, registry.stats().hits());
        assertTrue(registry.has(ISSUE, "a"));
        assertFalse(registry.has(ISSUE, "b"));
    }

    @Test
    void concurrentCallersShareOneLoad() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        CompletionStage<Store<IssueSchema>> one = registry.getOrLoad(ISSUE, "a");
        CompletionStage<Store<IssueSchema>> two = registry.getOrLoad(ISSUE, "a");
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
        executor.runAll();
        assertSame(now(one), now(two));
        assertSame(now(one), lease.store());
        assertEquals(1, loader.loads("a"));
        lease.close();
    }

    @Test
    void concurrentThreadsShareOneLoad() throws Exception {
        ExecutorService loads = Executors.newFixedThreadPool(2);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            loader.loadGate = new CountDownLatch(1);
            StoreRegistry registry = registry(Duration.ofSeconds(60), loads, b -> { });
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<Store<IssueSchema>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(callers.submit(() -> {
                    start.await();
                    if (n % 2 == 0) {
                        return registry.getOrLoad(ISSUE, "shared").toCompletableFuture().get(10, TimeUnit.SECONDS);
                    }
                    try (StoreLease<IssueSchema> lease = registry.retain(ISSUE, "shared")) {
                        return lease.store(Duration.ofSeconds(10));
                    }
                }));
            }
            loader.loadStarted.await(10, TimeUnit.SECONDS);
            loader.loadGate.countDown();
            Store<IssueSchema> first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Store<IssueSchema>> r : results) {
                assertSame(first, r.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, loader.loads("shared"), "the loader runs once per cached lifetime (R2)");
        } finally {
            loads.shutdownNow();
            callers.shutdownNow();
        }
    }

    @Test
    void aSynchronousLoaderFailureFailsTheStageAndIsNotCached() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        loader.failures.add(new IllegalStateException("adapter missing"));
        loader.failures.add(new IllegalStateException("adapter missing again"));
        CompletionException first = assertThrows(CompletionException.class, () -> registry.getOrLoad(ISSUE, "a").toCompletableFuture().join());
        StoreLoadException failure = assertInstanceOf(StoreLoadException.class, first.getCause());
        assertEquals("LIVESTORE-0203", failure.messageId());
        assertTrue(failure.getMessage().contains("store 'a' (definition 'issue'): load failed: java.lang.IllegalStateException: adapter missing"),
                failure.getMessage());
        assertFalse(registry.has(ISSUE, "a"));
        CompletionException second = assertThrows(CompletionException.class, () -> registry.getOrLoad(ISSUE, "a").toCompletableFuture().join());
        assertNotSame(failure, second.getCause(), "the next access ran the loader again (R9)");
        assertEquals(2, loader.loads("a"));
        assertEquals(2, registry.stats().loadFailures());
    }

    @Test
    void anAsynchronousFailureIsFollowedByASuccessfulRetry() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        loader.failures.add(new IllegalStateException("disk not mounted yet"));
        CompletionStage<Store<IssueSchema>> failing = registry.getOrLoad(ISSUE, "a");
        executor.runAll();
        assertTrue(failing.toCompletableFuture().isCompletedExceptionally());
        CompletionStage<Store<IssueSchema>> retry = registry.getOrLoad(ISSUE, "a");
        executor.runAll();
        assertEquals("a", now(retry).storeId());
        assertEquals(2, loader.loads("a"));
    }

    @Test
    void everyWaiterOfOneFailedLoadGetsTheSameException() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        loader.failures.add(new IllegalStateException("boom"));
        CompletionStage<Store<IssueSchema>> a = registry.getOrLoad(ISSUE, "a");
        CompletionStage<Store<IssueSchema>> b = registry.getOrLoad(ISSUE, "a");
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
        executor.runAll();
        Throwable fromA = assertThrows(CompletionException.class, () -> a.toCompletableFuture().join()).getCause();
        Throwable fromB = assertThrows(CompletionException.class, () -> b.toCompletableFuture().join()).getCause();
        StoreLoadException fromLease = assertThrows(StoreLoadException.class, lease::store);
        assertSame(fromA, fromB);
        assertSame(fromA, fromLease);
        lease.close();
        assertEquals(1, loader.loads("a"));
        assertEquals(1, registry.stats().loadFailures());
    }

    @Test
    void preloadNeverThrowsAndAFailedPreloadIsRetriedByTheNextAccess() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        loader.failures.add(new IllegalStateException("boom"));
        CompletionStage<Void> preload = registry.preload(ISSUE, "a");
        assertEquals(null, now(preload));
        assertEquals(null, now(registry.preload(ISSUE, "../bad")), "even invalid input does not throw");
        assertEquals("a", get(registry, "a").storeId(), "the failure was not cached");
        assertEquals(2, loader.loads("a"));
        registry.close();
        assertEquals(null, now(registry.preload(ISSUE, "a")), "nor a closed registry");
    }

    @Test
    void preloadWarmsTheCache() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        CompletionStage<Void> preload = registry.preload(ISSUE, "a");
        executor.runAll();
        now(preload);
        assertTrue(registry.getOrLoad(ISSUE, "a").toCompletableFuture().isDone(), "loaded by the preload");
        assertEquals(1, loader.loads("a"));
        assertEquals(0, executor.queued());
    }

    @Test
    void aWaiterThatGivesUpDoesNotCancelTheLoadForOthers() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        CompletionStage<Store<IssueSchema>> impatient = registry.getOrLoad(ISSUE, "a");
        CompletionStage<Store<IssueSchema>> patient = registry.getOrLoad(ISSUE, "a");
        impatient.toCompletableFuture().cancel(true); // a copy: cancelling it touches nothing shared
        assertThrows(UnsupportedOperationException.class, () -> ((CompletableFuture<?>) impatient).cancel(true),
                "the shared stage itself cannot be cancelled by a caller");
        try (StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a")) {
            StoreLoadTimeoutException timeout = assertThrows(StoreLoadTimeoutException.class, () -> lease.store(Duration.ZERO));
            assertEquals("LIVESTORE-0204", timeout.messageId());
            executor.runAll();
            assertEquals("a", now(patient).storeId());
            assertSame(now(patient), lease.store(Duration.ZERO));
        }
        assertEquals(1, loader.loads("a"));
    }

    @Test
    void anInterruptedWaiterDoesNotCancelTheLoad() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        try (StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a")) {
            Thread.currentThread().interrupt();
            assertThrows(StoreLoadTimeoutException.class, () -> lease.store(Duration.ofSeconds(5)));
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            executor.runAll();
            assertEquals("a", lease.store().storeId());
        }
    }

    @Test
    void invalidStoreIdsAreRejectedBeforeAnythingIsLoaded() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        for (String bad : new String[] {"../x", "a/b", "", "..", "x".repeat(129)}) {
            InvalidStoreIdException e = assertThrows(InvalidStoreIdException.class, () -> registry.getOrLoad(ISSUE, bad));
            assertTrue(e.getMessage().contains("for definition 'issue'"), e.getMessage());
            assertThrows(InvalidStoreIdException.class, () -> registry.retain(ISSUE, bad));
        }
        assertEquals(0, loader.totalLoads());
        assertEquals(0, registry.snapshot().stores().size());
    }

    @Test
    void storesWorkThroughTheRegistry() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        try (StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a")) {
            assertEquals(1, lease.store().commit(new IssueCreated("i1", "Title")));
        }
        assertEquals(1, get(registry, "a").head());
    }
}
