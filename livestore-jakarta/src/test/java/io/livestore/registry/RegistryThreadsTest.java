package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema;
import io.livestore.store.StoreStorage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Item 19: the registry's own threads come from {@link RegistryOptions#threadFactory()}; one pool per registry. */
class RegistryThreadsTest {

    static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();

    /** A factory that remembers every thread it made. */
    static final class CountingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "managed-" + made.size());
            t.setDaemon(true);
            made.add(t);
            return t;
        }
    }

    @Test
    void loadsClosesAndTheTimerRunOnThreadsOfTheGivenFactoryAndClosingMakesNoPool() throws Exception {
        CountingFactory factory = new CountingFactory();
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        StoreRegistry registry = new StoreRegistry(RegistryOptions.builder()
                .storage(StoreStorage.inMemory())
                .defaultUnusedCacheTime(Duration.ofMillis(20))
                .threadFactory(factory)
                .loader((definition, opener, storeId, cancel) -> {
                    ranOn.add(Thread.currentThread());
                    return opener.open(storeId, cancel);
                })
                .build());
        Set<Thread> strays = ConcurrentHashMap.newKeySet();
        try {
            for (int i = 0; i < 20; i++) {
                registry.getOrLoad(ISSUE, "s" + i).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            // The timer disposes them after 20 ms: its thread and the closing ones are the factory's too.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (registry.stats().loadedStores() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, registry.stats().loadedStores(), "the timer disposed them");
            for (int i = 0; i < 20; i++) {
                registry.getOrLoad(ISSUE, "t" + i).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            registry.clear();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t) && !factory.made.contains(t) && t.getName().startsWith("livestore-registry")) {
                    strays.add(t); // e.g. a pool made for this clear
                }
            }
        } finally {
            registry.close();
        }
        assertTrue(ranOn.stream().allMatch(factory.made::contains), "every load ran on a thread of the factory");
        int pool = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        assertTrue(factory.made.size() <= pool + 1, "one pool and one timer: " + factory.made.size() + " threads");
        assertEquals(Set.of(), strays, "clear() started no threads of its own");
    }
}
