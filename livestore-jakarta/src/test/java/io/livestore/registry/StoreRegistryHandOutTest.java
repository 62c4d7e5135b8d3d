package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import io.livestore.store.StoreClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Defect 6: a store handed out by any access stays usable for that access — with real threads calling
 * at once, under {@code maxLoadedStores} and with an unusedCacheTime of zero. Rule: an unretained result
 * is kept for at least {@link StoreRegistry#HAND_OUT_HOLD}; the loaded count exceeds the bound by at most
 * the stores within their hold (here: one per calling thread and round) plus loads completing together.
 */
class StoreRegistryHandOutTest extends RegistryTestSupport {

    private static final int THREADS = 4;
    private static final int ROUNDS = 300;

    /**
     * Runs {@code rounds} rounds in which each of {@link #THREADS} threads does one access; between
     * rounds (all threads parked at the barrier) {@code betweenRounds} runs on the last thread to arrive.
     */
    private static void inRounds(int rounds, Consumer<SplittableRandom> access, Runnable betweenRounds) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(THREADS, betweenRounds);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(42 + t);
            Thread thread = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds && failures.isEmpty(); r++) {
                        access.accept(random);
                        barrier.await(30, TimeUnit.SECONDS);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    barrier.reset();
                }
            }, "hand-out-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        Throwable first = failures.stream()
                .filter(f -> !(f instanceof BrokenBarrierException) && !(f instanceof TimeoutException))
                .findFirst().orElse(failures.peek());
        if (first != null) {
            throw new AssertionError("an access failed: " + first, first);
        }
    }

    /** getOrLoad and wait: another thread may be loading the same store. */
    private static Store<IssueSchema> join(StoreRegistry registry, String id) {
        try {
            return registry.getOrLoad(ISSUE, id).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("getOrLoad of " + id + " failed: " + e, e);
        }
    }

    /** The first use of a store handed out by getOrLoad: a read that fails with LIVESTORE-0130 on a closed store. */
    private static void firstUse(Store<IssueSchema> store) {
        try {
            store.head();
        } catch (StoreClosedException closed) {
            throw new AssertionError("getOrLoad handed out " + store.storeId() + " closed before its first use ("
                    + closed.messageId() + ")", closed);
        }
    }

    @Test
    void theBoundNeverClosesAStoreUnderTheCallerItWasHandedToAndStaysWithinItsAllowance() throws Exception {
        int max = 3;
        StoreRegistry registry = registry(Duration.ofSeconds(60), Runnable::run, b -> b.maxLoadedStores(max));
        AtomicInteger highest = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                highest.accumulateAndGet(registry.stats().loadedStores(), Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.start();
        List<String> overBound = new ArrayList<>();
        try {
            inRounds(ROUNDS, random -> firstUse(join(registry, "s" + random.nextInt(24))), () -> {
                int loaded = registry.stats().loadedStores();
                if (loaded > max + THREADS) {
                    overBound.add(loaded + " loaded after a round");
                }
                clock.advance(StoreRegistry.HAND_OUT_HOLD); // this round's holds end
            });
        } finally {
            running.set(false);
            sampler.join();
        }
        assertEquals(List.of(), overBound, "at rest: at most the bound plus one store in its hold per thread");
        assertTrue(highest.get() <= max + 2 * THREADS,
                "at any moment at most the bound plus the holds plus loads completing together: " + highest.get());
        assertTrue(registry.stats().disposals(DisposalCause.BOUND) > 0, "the bound was exercised");
    }

    @Test
    void withAZeroUnusedCacheTimeEveryResultIsOpenForItsFirstUse() throws Exception {
        StoreRegistry registry = registry(Duration.ZERO, Runnable::run, b -> { });
        inRounds(ROUNDS, random -> firstUse(join(registry, "z" + random.nextInt(8))),
                () -> clock.advance(StoreRegistry.HAND_OUT_HOLD));
        clock.advance(StoreRegistry.HAND_OUT_HOLD);
        assertEquals(0, registry.stats().loadedStores(), "zero still disposes once the hold has passed");
        assertTrue(registry.stats().disposals(DisposalCause.EXPIRED) > 0);
    }

    @Test
    void aZeroTimeStoreIsDisposedOnceItsHoldHasPassed() {
        StoreRegistry registry = registry(Duration.ZERO);
        Store<IssueSchema> store = get(registry, "a");
        assertTrue(!store.isClosed(), "open for its first use");
        clock.advance(StoreRegistry.HAND_OUT_HOLD.minusNanos(1));
        firstUse(store);
        clock.advance(Duration.ofNanos(1));
        assertTrue(store.isClosed(), "disposed at the end of the hold");
    }

    @Test
    void aHitOnARetainedStoreIsHeldFromTheLastRelease() {
        // A retained hit writes no access time; the last release records it, so the hold still runs.
        StoreRegistry registry = registry(Duration.ZERO);
        StoreLease<IssueSchema> lease = registry.retain(ISSUE, "a");
        lease.store();
        clock.advance(Duration.ofSeconds(5));
        Store<IssueSchema> store = get(registry, "a");
        lease.close();
        clock.advance(StoreRegistry.HAND_OUT_HOLD.minusNanos(1));
        assertTrue(!store.isClosed(), "the hit's hold outlasts the release of a zero-time retention");
        firstUse(store);
        clock.advance(Duration.ofNanos(1));
        assertTrue(store.isClosed(), "disposed at the end of the hold");
    }
}
