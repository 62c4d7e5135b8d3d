package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's threads (Y4, Y5, R10): catch-ups run apart from the loading pool, so a subscription
 * listener that waits for a load cannot starve it; a load's catch-up of a long log stops when the load
 * is dropped; head checks never overlap.
 */
class ClusterFollowerThreadsTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    final InMemoryUpstream upstream = new InMemoryUpstream();
    final List<ClusterNode> nodes = new ArrayList<>();

    /**
     * The test's own threads: the common pool has one thread on a 2-core machine, and a blocked check
     * there would hold up the checks this test starts after it.
     */
    final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "follower-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void closeNodes() throws Exception {
        for (ClusterNode n : nodes) {
            n.close();
        }
        upstream.close();
        threads.shutdownNow();
    }

    ClusterNode node(String name, Upstream u) {
        ClusterNode n = new ClusterNode(name, dir.resolve(name), u);
        nodes.add(n);
        return n;
    }

    /** An upstream whose pulls and head reads run a step first. */
    static final class HookedUpstream implements Upstream {
        final Upstream log;
        volatile Runnable beforePull;
        volatile Runnable beforeHeads;
        final AtomicInteger pulls = new AtomicInteger();

        HookedUpstream(Upstream log) {
            this.log = log;
        }

        @Override
        public AppendResult append(String storeId, long expectedHead, List<LogEvent> events) {
            return log.append(storeId, expectedHead, events);
        }

        @Override
        public List<LogEvent> pull(String storeId, long afterSeqNum, int limit) {
            pulls.incrementAndGet();
            Runnable r = beforePull;
            if (r != null) {
                r.run();
            }
            return log.pull(storeId, afterSeqNum, limit);
        }

        @Override
        public Optional<LogHead> head(String storeId) {
            return log.head(storeId);
        }

        @Override
        public Map<String, LogHead> heads(Collection<String> storeIds) {
            Runnable r = beforeHeads;
            if (r != null) {
                r.run();
            }
            return log.heads(storeIds);
        }

        @Override
        public Interest follow(String storeId) {
            return log.follow(storeId);
        }

        @Override
        public Registration listen(ChangeListener listener) {
            return log.listen(listener);
        }

        @Override
        public void close() {
            log.close();
        }
    }

    /** Busy-waits without sleeping: the waiting thread may carry a cancellation interrupt. */
    static void spinUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void listenersThatWaitForLoadsDuringCatchUpsDoNotStarveTheLoadingPool() throws Exception {
        ClusterNode a = node("a", upstream.node());
        ClusterNode b = node("b", upstream.node()); // a loading pool of 4 threads
        int stores = 8;
        CountDownLatch loadedByListeners = new CountDownLatch(stores);
        List<Store<IssueSchema>> onA = new ArrayList<>();
        for (int i = 0; i < stores; i++) {
            String other = "other-" + i;
            onA.add(a.store("s" + i));
            Store<IssueSchema> onB = b.store("s" + i);
            AtomicInteger deliveries = new AtomicInteger();
            onB.subscribe(Query.of(Long.class, "SELECT count(*) FROM issue"), n -> {
                if (deliveries.incrementAndGet() == 2) { // a catch-up's delivery: wait for another store's load
                    b.registry.getOrLoad(ClusterNode.ISSUE, other).toCompletableFuture().join();
                    loadedByListeners.countDown();
                }
            });
        }
        for (Store<IssueSchema> s : onA) {
            s.commit(new IssueCreated("1", "T"));
        }
        assertTrue(loadedByListeners.await(WAIT.toSeconds(), TimeUnit.SECONDS),
                "every listener's load ran while catch-ups waited for it: " + loadedByListeners.getCount() + " left");
    }

    @Test
    void aDroppedLoadStopsCatchingUpALongLogBetweenPages() throws Exception {
        ClusterNode a = node("a", upstream.node());
        List<IssueCreated> events = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            events.add(new IssueCreated("i" + i, "T"));
        }
        a.store("s").commit(events);
        HookedUpstream hooked = new HookedUpstream(upstream.node());
        ClusterNode b = node("b", hooked);
        AtomicInteger pullsAtDrop = new AtomicInteger(-1);
        List<CompletableFuture<Store<IssueSchema>>> load = new java.util.concurrent.CopyOnWriteArrayList<>();
        hooked.beforePull = () -> {
            if (hooked.pulls.get() == 2) { // the load is into its catch-up: drop it from another thread
                pullsAtDrop.set(hooked.pulls.get());
                CompletableFuture.runAsync(() -> b.registry.drop(ClusterNode.ISSUE, "s"), threads);
                spinUntil(() -> !load.isEmpty() && load.get(0).isCompletedExceptionally(), "the drop cancels the load");
            }
        };
        load.add(b.registry.getOrLoad(ClusterNode.ISSUE, "s").toCompletableFuture());
        CompletionException dropped = assertThrows(CompletionException.class, load.get(0)::join);
        assertTrue(dropped.getCause() instanceof StoreDroppedException, String.valueOf(dropped.getCause()));
        ClusterNode.await(() -> b.registry.snapshot().stores().isEmpty(), WAIT, "the dropped load finished");
        assertEquals(pullsAtDrop.get(), hooked.pulls.get(), "no page pulled after the drop (of 10)");
    }

    @Test
    void headChecksNeverOverlap() throws Exception {
        HookedUpstream hooked = new HookedUpstream(upstream.node());
        ClusterNode b = node("b", hooked);
        b.store("s");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        hooked.beforeHeads = () -> {
            calls.incrementAndGet();
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
        };
        UpstreamFollower follower = b.registry.follower();
        CompletableFuture<Void> first = CompletableFuture.runAsync(follower::checkHeads, threads);
        ClusterNode.await(() -> inside.get() == 1, WAIT, "the first check reads the heads");
        List<CompletableFuture<Void>> more = new ArrayList<>();
        ConcurrentHashMap<Integer, Boolean> done = new ConcurrentHashMap<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            more.add(CompletableFuture.runAsync(() -> {
                follower.checkHeads();
                done.put(n, true);
            }, threads));
        }
        ClusterNode.await(() -> done.size() == 4, WAIT, "checks during a running one return at once");
        release.countDown();
        first.join();
        assertEquals(1, most.get(), "never two head reads at once");
        assertEquals(1, calls.get(), "the overlapping checks did not read the heads");
    }
}
