package io.livestore.bench;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory per loaded idle store (DESIGN.md §7: ≤ 100 KB heap + native): loads N file stores with a few
 * committed events each through a registry, leaves them unretained, and reports the growth of the
 * Java heap (after GC) and of the process's resident set (heap and SQLite's native memory) per store.
 * Not a JMH benchmark — it measures space, not time. Run:
 * {@code mvn -q -Pbench test-compile exec:exec -Dbench.main=io.livestore.bench.StoreFootprint}.
 */
public final class StoreFootprint {

    private StoreFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int stores = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        Path dir = BenchSupport.newDir("footprint");
        try {
            StoreDefinition<BenchSchema> definition = StoreDefinition.builder("footprint", BenchSchema.class)
                    .unusedCacheTime(StoreDefinition.FOREVER).build();
            try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder()
                    .storage(StoreStorage.directory(dir)).build())) {
                List<Store<BenchSchema>> warm = load(registry, definition, "warm-", 200);
                long heap0 = usedHeapAfterGc();
                long rss0 = residentBytes();
                load(registry, definition, "s-", stores);
                long heap1 = usedHeapAfterGc();
                long rss1 = residentBytes();
                System.out.printf("loaded idle stores: %d (+%d warm-up)%n", stores, warm.size());
                System.out.printf("heap per store:     %.1f KB%n", (heap1 - heap0) / 1024.0 / stores);
                System.out.printf("resident per store: %.1f KB (heap + SQLite native; target <= 100 KB)%n",
                        (rss1 - rss0) / 1024.0 / stores);
                System.out.printf("stores per GiB:     %,d%n", (long) (1024L * 1024 * 1024 / Math.max(1.0, (rss1 - rss0) / (double) stores)));
            }
        } finally {
            BenchSupport.delete(dir);
        }
    }

    private static List<Store<BenchSchema>> load(StoreRegistry registry, StoreDefinition<BenchSchema> definition,
                                                 String prefix, int n) {
        List<Store<BenchSchema>> loaded = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Store<BenchSchema> store = registry.getOrLoad(definition, prefix + i).toCompletableFuture().join();
            BenchSupport.fill(store, 1, 10);
            // A point query, as a store in use would have run: its prepared statement stays cached.
            store.query(Query.first(String.class, "SELECT title FROM item WHERE id = ?", BenchSchema.itemId(1)));
            loaded.add(store);
        }
        return loaded;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
