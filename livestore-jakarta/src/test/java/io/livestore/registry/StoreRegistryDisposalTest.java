package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle over time: R3–R8 with the manual clock. LiveStore tests 9–22, plus this project's R6
 * (longest time among the retentions of the current use) and R8 (retention counted with the load).
 */
class StoreRegistryDisposalTest extends RegistryTestSupport {

    private void assertDisposed(Store<?> store) {
        assertTrue(store.isClosed(), "the store was closed");
    }

    @Test
    void disposesAStoreAfterItsUnusedCacheTime() {
        StoreRegistry registry = registry(Duration.ofMillis(25));
        Store<IssueSchema> first = get(registry, "a");
        assertSame(first, get(registry, "a"));
        advance(24);
        assertFalse(first.isClosed());
        advance(1);
        assertDisposed(first);
        assertFalse(registry.has(ISSUE, "a"));
        Store<IssueSchema> second = get(registry, "a");
        assertNotSame(first, second);
        assertEquals(2, loader.loads("a"));
        assertEquals(1, registry.stats().disposals(DisposalCause.EXPIRED));
    }

    @Test
    void eachAccessRestartsTheCountdownOfAnUnretainedStore() {
        StoreRegistry registry = registry(Duration.ofMillis(25));
        Store<IssueSchema> first = get(registry, "a");
        advance(20);
        assertSame(first, get(registry, "a"));
        advance(20);
        assertFalse(first.isClosed(), "25 ms have not passed since the last access");
        advance(5);
        assertDisposed(first);
    }

    @Test
    void foreverDisablesDisposal() {
        StoreRegistry registry = registry(StoreDefinition.FOREVER);
        Store<IssueSchema> first = get(registry, "a");
        registry.retain(ISSUE, "a").close();
        advance(100_000_000);
        assertSame(first, get(registry, "a"));
        assertEquals(0, clock.pendingTasks(), "no timer is ever armed");
        assertEquals(java.util.Optional.empty(), registry.snapshot().store("a").orElseThrow().disposalIn());
    }

    @Test
    void disposalIsScheduledWhenAStoreLoadedWithoutRetentionFinishesLoading() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofMillis(50), executor, b -> { });
        CompletionStage<Store<IssueSchema>> stage = registry.getOrLoad(ISSUE, "a");
        advance(100); // still loading: the waiting access holds it
        executor.runAll();
        Store<IssueSchema> store = now(stage);
        assertFalse(store.isClosed());
        advance(49);
        assertFalse(store.isClosed(), "the countdown starts when the load completes");
        advance(1);
        executor.runAll();
        assertDisposed(store);
    }

    @Test
    void definitionAndCallSiteOverrideRegistryDefaults() {
        StoreRegistry registry = registry(Duration.ofSeconds(10));
        StoreDefinition<IssueSchema> quick = issueDefinition("quick", Duration.ofMillis(25));
        Store<IssueSchema> byDefinition = now(registry.getOrLoad(quick, "q"));
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "c", Duration.ofMillis(25));
        Store<IssueSchema> byCallSite = lease.store();
        lease.close();
        Store<IssueSchema> byRegistry = get(registry, "r");
        advance(25);
        assertDisposed(byDefinition);
        assertDisposed(byCallSite);
        assertFalse(byRegistry.isClosed());
        advance(10_000);
        assertDisposed(byRegistry);
    }

    @Test
    void storesAreDisposedAccordingToTheirOwnUnusedCacheTime() {
        StoreRegistry registry = registry(Duration.ofSeconds(1));
        StoreDefinition<IssueSchema> shortLived = issueDefinition("short", Duration.ofMillis(25));
        StoreDefinition<IssueSchema> longLived = issueDefinition("long", Duration.ofSeconds(10));
        Store<IssueSchema> s = now(registry.getOrLoad(shortLived, "short-lived"));
        Store<IssueSchema> l = now(registry.getOrLoad(longLived, "long-lived"));
        advance(25);
        assertDisposed(s);
        assertFalse(l.isClosed());
        assertSame(l, now(registry.getOrLoad(longLived, "long-lived")));
    }

    @Test
    void theLongestUnusedCacheTimeAmongTheRetentionsWinsWhicheverClosesLast() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        for (boolean longClosesFirst : new boolean[] {true, false}) {
            String id = "s-" + longClosesFirst;
            StoreLease<IssueSchema> brief = registry.retain(ISSUE, id, Duration.ofMillis(10));
            StoreLease<IssueSchema> lasting = registry.retain(ISSUE, id, Duration.ofMillis(100));
            Store<IssueSchema> store = brief.store();
            if (longClosesFirst) {
                lasting.close();
                brief.close();
            } else {
                brief.close();
                lasting.close();
            }
            assertEquals(Duration.ofMillis(100), registry.snapshot().store(id).orElseThrow().unusedCacheTime());
            advance(99);
            assertFalse(store.isClosed(), "R6: 100 ms won (long closed first: " + longClosesFirst + ")");
            advance(1);
            assertDisposed(store);
        }
    }

    @Test
    void aNewPeriodOfUseStartsFromItsOwnRetentions() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        registry.retain(ISSUE, "a", Duration.ofMillis(100)).close();
        StoreLease<IssueSchema> again = registry.retain(ISSUE, "a", Duration.ofMillis(10));
        Store<IssueSchema> store = again.store();
        again.close();
        advance(10);
        assertDisposed(store); // the 100 ms of the previous, finished use no longer counts
    }

    @Test
    void rapidRetainReleaseCyclesLeaveOneTimer() {
        StoreRegistry registry = registry(Duration.ofMillis(50));
        Store<IssueSchema> store = get(registry, "a");
        for (int i = 0; i < 10; i++) {
            registry.retain(ISSUE, "a").close();
        }
        assertTrue(clock.pendingTasks() <= 1, "pending timers: " + clock.pendingTasks());
        assertEquals(0, registry.snapshot().store("a").orElseThrow().retentions());
        advance(49);
        assertFalse(store.isClosed());
        advance(1);
        assertDisposed(store);
    }

    @Test
    void aRetentionCancelsAPendingDisposal() {
        StoreRegistry registry = registry(Duration.ofMillis(50));
        Store<IssueSchema> store = get(registry, "a");
        advance(45);
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
        advance(5);
        assertFalse(store.isClosed(), "retained at the original deadline");
        assertEquals(StoreState.ACTIVE, registry.snapshot().store("a").orElseThrow().state());
        lease.close();
        assertEquals(java.util.Optional.of(Duration.ofMillis(50)), registry.snapshot().store("a").orElseThrow().disposalIn());
        advance(49);
        assertSame(store, get(registry, "a"));
        advance(50);
        assertDisposed(store);
    }

    @Test
    void aRetainedStoreOutlivesItsUnusedCacheTime() {
        StoreRegistry registry = registry(Duration.ofMillis(50));
        Store<IssueSchema> store = get(registry, "a");
        try (StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a")) {
            advance(1_000);
            assertSame(store, lease.store());
            assertFalse(store.isClosed());
        }
        advance(50);
        assertDisposed(store);
    }

    @Test
    void differentIdsLiveIndependently() {
        StoreRegistry registry = registry(Duration.ofMillis(50));
        Store<IssueSchema> one = get(registry, "store-1");
        Store<IssueSchema> two = get(registry, "store-2");
        assertNotSame(one, two);
        advance(30);
        assertSame(one, get(registry, "store-1"));
        advance(20);
        assertDisposed(two);
        assertFalse(one.isClosed());
        advance(30);
        assertDisposed(one);
    }

    @Test
    void theRegistryDefaultIsSixtySecondsAndConfigurable() {
        assertEquals(Duration.ofSeconds(60), RegistryOptions.defaults().defaultUnusedCacheTime());
        StoreRegistry registry = registry(Duration.ofMillis(100));
        Store<IssueSchema> store = get(registry, "a");
        advance(50);
        assertSame(store, get(registry, "a"));
        assertEquals(Duration.ofMillis(100), registry.snapshot().store("a").orElseThrow().unusedCacheTime());
    }

    @Test
    void aPreloadedStoreNobodyRetainsIsDisposed() {
        StoreRegistry registry = registry(Duration.ofMillis(50));
        now(registry.preload(ISSUE, "a"));
        Store<IssueSchema> store = get(registry, "a");
        advance(50);
        assertDisposed(store);
        assertEquals(0, registry.snapshot().stores().size());
    }

    @Test
    void aStoreRetainedWithZeroTimeIsNeverDisposedBetweenLoadAndRetention() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ZERO, executor, b -> { });
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
        executor.runAll();
        advance(1_000);
        executor.runAll();
        Store<IssueSchema> store = lease.store(Duration.ZERO);
        assertFalse(store.isClosed(), "R8: counted before the load finished");
        lease.close();
        executor.runAll();
        assertDisposed(store);
    }

    @Test
    void disposalDuringLoadingAbortsTheLoadAndAFreshLoadSucceeds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            loader.loadGate = new CountDownLatch(1);
            loader.loadStarted = new CountDownLatch(1);
            StoreRegistry registry = registry(Duration.ofMillis(10), pool, b -> { });
            StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
            assertTrue(loader.loadStarted.await(10, TimeUnit.SECONDS), "the load is running");
            lease.close();
            advance(10); // fires while loading: the load is cancelled
            CompletionStage<Store<IssueSchema>> fresh = registry.getOrLoad(ISSUE, "a");
            loader.loadGate.countDown();
            Store<IssueSchema> store = fresh.toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertFalse(store.isClosed());
            assertEquals(2, loader.loads("a"), "a second, fresh load");
            assertEquals(1, loader.openStores(), "whatever the aborted load opened was closed, not leaked");
            assertEquals(1, registry.stats().loads());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDisposedStoreIsNeverServedFromCache() {
        StoreRegistry registry = registry(Duration.ofMillis(25));
        Store<IssueSchema> first = get(registry, "a");
        advance(25);
        CompletionStage<Store<IssueSchema>> next = registry.getOrLoad(ISSUE, "a");
        assertNotSame(first, now(next));
        assertFalse(now(next).isClosed());
    }

    @Test
    void anAccessDuringCloseWaitsForItAndGetsAFreshInstance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            StoreRegistry registry = registry(Duration.ofMillis(25), pool, b -> { });
            Store<IssueSchema> first = registry.getOrLoad(ISSUE, "a").toCompletableFuture().get(10, TimeUnit.SECONDS);
            loader.closeGate = new CountDownLatch(1);
            advance(25); // disposal starts; its close is held by the gate
            TrackedStore<?> tracked = (TrackedStore<?>) first;
            while (!tracked.closeStarted) {
                Thread.onSpinWait();
            }
            assertEquals(StoreState.CLOSING, registry.snapshot().store("a").orElseThrow().state());
            CompletionStage<Store<IssueSchema>> during = registry.getOrLoad(ISSUE, "a");
            StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
            assertFalse(during.toCompletableFuture().isDone(), "waits for the close (R11)");
            assertEquals(1, loader.loads("a"), "the new load starts only after the old close");
            loader.closeGate.countDown();
            Store<IssueSchema> fresh = during.toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertNotSame(first, fresh);
            assertFalse(fresh.isClosed());
            assertTrue(first.isClosed());
            assertSame(fresh, lease.store());
            lease.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unusedCacheTimesMustNotBeNegative() {
        List<Runnable> bad = new ArrayList<>();
        bad.add(() -> StoreDefinition.builder("x", IssueSchema.class).unusedCacheTime(Duration.ofMillis(-1)));
        bad.add(() -> RegistryOptions.builder().defaultUnusedCacheTime(Duration.ofMillis(-1)));
        StoreRegistry registry = registry(Duration.ofSeconds(1));
        bad.add(() -> registry.retain(ISSUE, "a", Duration.ofMillis(-1)));
        for (Runnable r : bad) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
        }
    }
}
