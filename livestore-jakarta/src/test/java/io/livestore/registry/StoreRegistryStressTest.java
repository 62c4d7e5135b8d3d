package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real threads against one registry with file stores and tiny unusedCacheTimes: random get, retain,
 * release, preload, drop, clear and clock advances over 100 ids. Checked at every step: no store
 * handed out was already closed, no retained store is closed (except by drop or clear). Checked at
 * the end: zero stores loaded, zero stores open, zero SQLite files open.
 *
 * <p>{@code -Dlivestore.stress.ops=1000000} runs the long version (README).
 */
class StoreRegistryStressTest extends RegistryTestSupport {

    private static final int THREADS = 8;
    private static final int IDS = 100;

    @TempDir
    Path dataDir;

    /** A lease with the drop/clear epoch it was taken in. */
    private record Held(StoreLease<IssueSchema> lease, Store<IssueSchema> store, long epoch) { }

    @Test
    void randomOperationsFromEightThreadsKeepEveryInvariant() throws Exception {
        long totalOps = Long.getLong("livestore.stress.ops", 200_000);
        long seed = Long.getLong("livestore.stress.seed", System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        StoreRegistry registry = registry(Duration.ofMillis(5), pool, b -> b.storage(StoreStorage.directory(dataDir)));
        // drop and clear take the write lock so that, inside any other operation, a closed retained
        // store can only mean a bug; they are rare, so this barely serializes the run.
        ReentrantReadWriteLock dropLock = new ReentrantReadWriteLock();
        AtomicLong dropEpoch = new AtomicLong();
        AtomicLong done = new AtomicLong();
        Duration[] times = {Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20)};
        String context = "seed " + seed + " (rerun with -Dlivestore.stress.seed=" + seed + ")";
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            SplittableRandom random = new SplittableRandom(seed + t);
            futures.add(workers.submit(() -> {
                Deque<Held> held = new ArrayDeque<>();
                long ops = totalOps / THREADS;
                for (long i = 0; i < ops; i++) {
                    String id = "s" + random.nextInt(IDS);
                    int op = random.nextInt(1000);
                    if (op < 2) {
                        dropLock.writeLock().lock();
                        try {
                            dropEpoch.incrementAndGet();
                            if (op == 0 && random.nextInt(20) == 0) {
                                registry.clear();
                            } else {
                                registry.drop(ISSUE, id);
                            }
                        } finally {
                            dropLock.writeLock().unlock();
                        }
                        continue;
                    }
                    dropLock.readLock().lock();
                    try {
                        for (Held h : held) {
                            if (h.epoch == dropEpoch.get() && h.store.isClosed()) {
                                throw new AssertionError("retained store " + h.store.storeId() + " was closed; " + context);
                            }
                        }
                        if (op < 350) {
                            long before = loader.closeSequence.get();
                            Store<IssueSchema> store = registry.getOrLoad(ISSUE, id).toCompletableFuture().get(30, TimeUnit.SECONDS);
                            TrackedStore<?> tracked = (TrackedStore<?>) store;
                            if (tracked.closeStarted && tracked.closeSeq <= before) {
                                throw new AssertionError("getOrLoad handed out a store closed before the call: " + id + "; " + context);
                            }
                        } else if (op < 600) {
                            StoreLease<IssueSchema> lease = registry.retain(ISSUE, id, times[random.nextInt(times.length)]);
                            Store<IssueSchema> store;
                            try {
                                store = lease.store(Duration.ofSeconds(30));
                            } catch (StoreDroppedException dropped) {
                                lease.close();
                                continue;
                            }
                            if (store.isClosed()) {
                                throw new AssertionError("retain handed out a closed store: " + id + "; " + context);
                            }
                            if (random.nextInt(10) == 0) {
                                store.commit(new IssueCreated("t" + thread + "-" + i, "t"));
                            }
                            held.add(new Held(lease, store, dropEpoch.get()));
                            if (held.size() > 4) {
                                held.poll().lease.close();
                            }
                        } else if (op < 850) {
                            Held h = held.poll();
                            if (h != null) {
                                h.lease.close();
                            }
                        } else if (op < 970) {
                            registry.preload(ISSUE, id).toCompletableFuture().get(30, TimeUnit.SECONDS);
                        } else {
                            clock.advance(Duration.ofMillis(1));
                        }
                    } finally {
                        dropLock.readLock().unlock();
                    }
                    done.incrementAndGet();
                }
                held.forEach(h -> h.lease.close());
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.MINUTES);
        }
        workers.shutdown();
        long millis = (System.nanoTime() - start) / 1_000_000;

        clock.advance(Duration.ofHours(1));
        // Closes triggered by timers run on the pool; wait for them through the registry's own view.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (registry.snapshot().stores().size() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(List.of(), registry.snapshot().stores(), "every store disposed; " + context);
        assertEquals(0, registry.stats().loadedStores());
        assertEquals(0, loader.openStores(), "no store left open; " + context);
        assertEquals(0, openFilesUnder(dataDir), "no SQLite file left open; " + context);
        RegistryStats stats = registry.stats();
        System.out.printf("stress: %d ops in %d ms by %d threads (%s); loads %d, hits %d, misses %d, disposals %s%n",
                done.get(), millis, THREADS, context, stats.loads(), stats.hits(), stats.misses(), stats.disposals());
        assertTrue(stats.loads() > 100, "the run exercised loading and disposal: " + stats);
        pool.shutdownNow();
    }

    /** Open file descriptors of this JVM that point into {@code dir} (Linux /proc; 0 elsewhere). */
    static long openFilesUnder(Path dir) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        Path root = dir.toRealPath();
        long n = 0;
        try (Stream<Path> list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(root)) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // The descriptor went away while listing.
                }
            }
        }
        return n;
    }
}
