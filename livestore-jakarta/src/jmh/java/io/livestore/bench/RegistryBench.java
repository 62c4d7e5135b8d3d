package io.livestore.bench;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A registry hit on a loaded store — {@code getOrLoad}, and {@code retain} + {@code close} — against
 * Caffeine's {@code AsyncLoadingCache.get} of a present key and {@code ConcurrentHashMap.get}, with 1 and
 * 2 threads. 1,000 loaded (in-memory) stores; each thread walks the ids in its own order, so threads
 * rarely touch the same entry at the same moment, as on a server with many stores.
 * {@code getOrLoad} runs on unretained stores (each hit records the access for the idle timer);
 * {@code getOrLoadRetained} on retained ones (the request-scoped case).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryBench {

    static final int STORES = 1_000;

    @State(Scope.Benchmark)
    public static class Shared {
        StoreRegistry registry;
        StoreDefinition<BenchSchema> definition;
        StoreDefinition<BenchSchema> retainedDefinition;
        List<StoreLease<BenchSchema>> leases = new ArrayList<>();
        AsyncLoadingCache<String, Store<BenchSchema>> caffeine;
        ConcurrentHashMap<String, Store<BenchSchema>> map;
        String[] ids;
        String[] retainedIds;

        @Setup(Level.Trial)
        public void setUp() {
            registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
                    .defaultUnusedCacheTime(Duration.ofHours(1)).build());
            definition = StoreDefinition.builder("bench", BenchSchema.class).build();
            retainedDefinition = StoreDefinition.builder("retained", BenchSchema.class).build();
            ids = new String[STORES];
            retainedIds = new String[STORES];
            map = new ConcurrentHashMap<>();
            for (int i = 0; i < STORES; i++) {
                ids[i] = "store-" + i;
                retainedIds[i] = "retained-" + i;
                map.put(ids[i], registry.getOrLoad(definition, ids[i]).toCompletableFuture().join());
                StoreLease<BenchSchema> lease = registry.retain(retainedDefinition, retainedIds[i]);
                lease.store();
                leases.add(lease);
            }
            caffeine = Caffeine.newBuilder().buildAsync(key -> map.get(key));
            for (String id : ids) {
                caffeine.get(id).join();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            leases.forEach(StoreLease::close);
            registry.close();
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        int step;

        @Setup(Level.Trial)
        public void setUp() {
            // Co-prime steps give each thread its own walk over all ids.
            step = 1 + 2 * (int) (Thread.currentThread().getId() % 97);
            next = (int) (Thread.currentThread().getId() * 31 % STORES);
        }

        int nextIndex() {
            next = (next + step) % STORES;
            return next;
        }
    }

    // Like Caffeine's get, a hit returns the (completed) stage; the caller reads it as it likes.
    private static CompletionStage<Store<BenchSchema>> getOrLoad(Shared s, Cursor c) {
        return s.registry.getOrLoad(s.definition, s.ids[c.nextIndex()]);
    }

    private static CompletionStage<Store<BenchSchema>> getOrLoadRetained(Shared s, Cursor c) {
        return s.registry.getOrLoad(s.retainedDefinition, s.retainedIds[c.nextIndex()]);
    }

    private static boolean retainClose(Shared s, Cursor c) {
        StoreLease<BenchSchema> lease = s.registry.retain(s.definition, s.ids[c.nextIndex()]);
        lease.close();
        return lease.isOpen();
    }

    private static CompletableFuture<Store<BenchSchema>> caffeine(Shared s, Cursor c) {
        return s.caffeine.get(s.ids[c.nextIndex()]);
    }

    private static Store<BenchSchema> chm(Shared s, Cursor c) {
        return s.map.get(s.ids[c.nextIndex()]);
    }

    @Benchmark @Threads(1)
    public CompletionStage<Store<BenchSchema>> getOrLoad1(Shared s, Cursor c) {
        return getOrLoad(s, c);
    }

    @Benchmark @Threads(2)
    public CompletionStage<Store<BenchSchema>> getOrLoad2(Shared s, Cursor c) {
        return getOrLoad(s, c);
    }

    @Benchmark @Threads(1)
    public CompletionStage<Store<BenchSchema>> getOrLoadRetained1(Shared s, Cursor c) {
        return getOrLoadRetained(s, c);
    }

    @Benchmark @Threads(2)
    public CompletionStage<Store<BenchSchema>> getOrLoadRetained2(Shared s, Cursor c) {
        return getOrLoadRetained(s, c);
    }

    @Benchmark @Threads(1)
    public boolean retainClose1(Shared s, Cursor c) {
        return retainClose(s, c);
    }

    @Benchmark @Threads(2)
    public boolean retainClose2(Shared s, Cursor c) {
        return retainClose(s, c);
    }

    @Benchmark @Threads(1)
    public CompletableFuture<Store<BenchSchema>> caffeine1(Shared s, Cursor c) {
        return caffeine(s, c);
    }

    @Benchmark @Threads(2)
    public CompletableFuture<Store<BenchSchema>> caffeine2(Shared s, Cursor c) {
        return caffeine(s, c);
    }

    @Benchmark @Threads(1)
    public Store<BenchSchema> chm1(Shared s, Cursor c) {
        return chm(s, c);
    }

    @Benchmark @Threads(2)
    public Store<BenchSchema> chm2(Shared s, Cursor c) {
        return chm(s, c);
    }
}
