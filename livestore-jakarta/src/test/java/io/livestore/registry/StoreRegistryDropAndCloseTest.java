package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** R10 (drop, clear), R12 (one definition per storeId), R14 (bound), R15 (close), R16 (stats, snapshot). */
class StoreRegistryDropAndCloseTest extends RegistryTestSupport {

    @Test
    void dropClosesAndRemovesAtOnceEvenWhenRetained() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
        Store<IssueSchema> store = lease.store();
        registry.drop(ISSUE, "a");
        assertTrue(store.isClosed());
        assertFalse(registry.has(ISSUE, "a"));
        StoreDroppedException e = assertThrows(StoreDroppedException.class, lease::store);
        assertEquals("LIVESTORE-0205", e.messageId());
        assertTrue(e.getMessage().contains("store 'a' (definition 'issue') was dropped"), e.getMessage());
        lease.close(); // harmless after a drop
        Store<IssueSchema> fresh = get(registry, "a");
        assertNotSame(store, fresh);
        assertEquals(1, registry.stats().disposals(DisposalCause.DROPPED));
        registry.drop(ISSUE, "never-loaded"); // no-op
    }

    @Test
    void dropCancelsALoadInProgressAndALateStoreIsClosedNotLeaked() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            loader.loadGate = new CountDownLatch(1);
            loader.loadStarted = new CountDownLatch(1);
            StoreRegistry registry = registry(Duration.ofSeconds(60), pool, b -> { });
            CompletionStage<Store<IssueSchema>> waiting = registry.getOrLoad(ISSUE, "a");
            assertTrue(loader.loadStarted.await(10, TimeUnit.SECONDS));
            registry.drop(ISSUE, "a");
            CompletionException e = assertThrows(CompletionException.class, () -> waiting.toCompletableFuture().join());
            assertTrue(e.getCause() instanceof StoreDroppedException, String.valueOf(e.getCause()));
            // The load is interrupted in the gate; a new access waits for it and loads afresh.
            loader.loadGate.countDown();
            Store<IssueSchema> fresh = registry.getOrLoad(ISSUE, "a").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertFalse(fresh.isClosed());
            assertEquals(1, loader.openStores());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLoadThatCompletesAfterItsDropClosesItsStore() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofSeconds(60), executor, b -> { });
        registry.getOrLoad(ISSUE, "a");
        // Not started yet: dropping finishes the entry; when the queued load runs it opens nothing.
        registry.drop(ISSUE, "a");
        executor.runAll();
        assertEquals(0, loader.openStores());
        assertEquals(0, registry.snapshot().stores().size());
    }

    @Test
    void clearDropsEverything() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        Store<IssueSchema> a = get(registry, "a");
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "b");
        Store<IssueSchema> b = lease.store();
        registry.clear();
        assertTrue(a.isClosed());
        assertTrue(b.isClosed());
        assertEquals(0, registry.snapshot().stores().size());
        assertEquals(2, registry.stats().disposals(DisposalCause.CLEARED));
        assertThrows(StoreDroppedException.class, lease::store);
        lease.close();
        assertFalse(get(registry, "a").isClosed(), "the registry stays usable");
    }

    @Test
    void aStoreIdBelongsToOneDefinition() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        StoreDefinition<IssueSchema> workspace = issueDefinition("workspace", null);
        get(registry, "shared-id");
        StoreIdConflictException e = assertThrows(StoreIdConflictException.class, () -> registry.getOrLoad(workspace, "shared-id"));
        assertEquals("LIVESTORE-0202", e.messageId());
        assertTrue(e.getMessage().contains("storeId 'shared-id' is loaded for definition 'issue' and cannot also be used with "
                + "definition 'workspace'"), e.getMessage());
        assertThrows(StoreIdConflictException.class, () -> registry.retain(workspace, "shared-id"));
        assertThrows(StoreIdConflictException.class, () -> registry.drop(workspace, "shared-id"));
        assertFalse(registry.has(workspace, "shared-id"));
    }

    @Test
    void twoDefinitionInstancesWithOneNameAreRefused() {
        StoreRegistry registry = registry(Duration.ofSeconds(60));
        get(registry, "a");
        StoreDefinition<IssueSchema> impostor = issueDefinition("issue", null);
        DefinitionConflictException e = assertThrows(DefinitionConflictException.class, () -> registry.getOrLoad(impostor, "b"));
        assertEquals("LIVESTORE-0206", e.messageId());
        assertTrue(e.getMessage().contains("two different definitions named 'issue'"), e.getMessage());
    }

    @Test
    void beyondTheBoundLeastRecentlyUsedUnretainedStoresGoFirst() {
        StoreRegistry registry = registry(Duration.ofSeconds(60), Runnable::run, b -> b.maxLoadedStores(3));
        Store<IssueSchema> s1 = get(registry, "s1");
        advance(1);
        Store<IssueSchema> s2 = get(registry, "s2");
        advance(1);
        Store<IssueSchema> s3 = get(registry, "s3");
        advance(1);
        get(registry, "s1"); // s1 used again: s2 is now the least recently used
        advance(1);
        Store<IssueSchema> s4 = get(registry, "s4");
        assertTrue(s2.isClosed());
        assertFalse(s1.isClosed() || s3.isClosed() || s4.isClosed());
        assertEquals(3, registry.stats().loadedStores());
        assertEquals(1, registry.stats().disposals(DisposalCause.BOUND));
    }

    @Test
    void theBoundNeverDisposesRetainedStores() {
        StoreRegistry registry = registry(Duration.ofSeconds(60), Runnable::run, b -> b.maxLoadedStores(2));
        List<StoreLease<IssueSchema>> leases = List.of(registry.retain(ISSUE, "a"), registry.retain(ISSUE, "b"),
                registry.retain(ISSUE, "c"));
        for (StoreLease<IssueSchema> lease : leases) {
            assertFalse(lease.store().isClosed());
        }
        assertEquals(3, registry.stats().loadedStores(), "over the bound, since all are retained");
        leases.forEach(StoreLease::close);
        get(registry, "d");
        assertEquals(2, registry.stats().loadedStores(), "back within the bound once stores are unretained");
    }

    @Test
    void closeClosesEveryStoreInParallelAndLaterAccessesFailClearly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            StoreRegistry registry = registry(Duration.ofSeconds(60), pool, b -> { });
            List<String> ids = List.of("a", "b", "c", "d");
            for (String id : ids) {
                registry.getOrLoad(ISSUE, id).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
            loader.closeGate = new CountDownLatch(1);
            Thread closer = new Thread(registry::close);
            closer.start();
            // All four closes are under way at the same time, held by the gate: they run in parallel.
            while (loader.opened.stream().filter(s -> s.closeStarted).count() < 4) {
                assertTrue(closer.isAlive(), "close() returned before the stores closed");
                Thread.onSpinWait();
            }
            loader.closeGate.countDown();
            closer.join(10_000);
            assertFalse(closer.isAlive());
            assertEquals(0, loader.openStores());
            assertEquals(4, registry.stats().disposals(DisposalCause.REGISTRY_CLOSED));
            RegistryClosedException e = assertThrows(RegistryClosedException.class, () -> registry.getOrLoad(ISSUE, "a"));
            assertEquals("LIVESTORE-0201", e.messageId());
            assertThrows(RegistryClosedException.class, () -> registry.retain(ISSUE, "a"));
            assertThrows(RegistryClosedException.class, lease::store);
            assertTrue(registry.isClosed());
            registry.close(); // idempotent
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeGivesUpOnAStuckStoreAfterItsDeadline() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            StoreRegistry registry = registry(Duration.ofSeconds(60), pool, b -> b.closeTimeout(Duration.ofMillis(200)));
            registry.getOrLoad(ISSUE, "stuck").toCompletableFuture().join();
            loader.closeGate = new CountDownLatch(1);
            long start = System.nanoTime();
            registry.close();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs >= 150 && tookMs < 5_000, "close() honoured its deadline: " + tookMs + " ms");
        } finally {
            loader.closeGate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void statsAndSnapshotDescribeEveryStore() {
        ManualExecutor executor = new ManualExecutor();
        StoreRegistry registry = registry(Duration.ofMillis(100), executor, b -> { });
        StoreLease<IssueSchema> active = registry.retain(ISSUE, "active", Duration.ofMillis(300));
        registry.getOrLoad(ISSUE, "inactive");
        assertEquals(StoreState.LOADING, registry.snapshot().store("active").orElseThrow().state());
        executor.runAll();
        registry.getOrLoad(ISSUE, "loading");
        loader.failures.add(null);
        advance(40);
        RegistrySnapshot snap = registry.snapshot();
        assertEquals(List.of("active", "inactive", "loading"), snap.stores().stream().map(StoreSnapshot::storeId).toList());
        StoreSnapshot a = snap.store("active").orElseThrow();
        assertEquals(new StoreSnapshot("active", "issue", StoreState.ACTIVE, 1, Duration.ofMillis(300), java.util.Optional.empty()), a);
        StoreSnapshot i = snap.store("inactive").orElseThrow();
        assertEquals(StoreState.INACTIVE, i.state());
        assertEquals(0, i.retentions());
        assertEquals(java.util.Optional.of(Duration.ofMillis(60)), i.disposalIn());
        assertEquals(StoreState.LOADING, snap.store("loading").orElseThrow().state());
        RegistryStats stats = snap.stats();
        assertEquals(3, stats.misses());
        assertEquals(2, stats.loads());
        assertEquals(2, stats.loadedStores());
        assertEquals(1, stats.retainedStores());
        executor.runAll();
        advance(60);
        executor.runAll(); // the expired store's close runs on the executor
        assertEquals(1, registry.stats().disposals(DisposalCause.EXPIRED));
        active.close();
    }
}
