package io.livestore.registry;

import io.livestore.store.IssueSchema;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.Upstream;
import io.livestore.testing.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One node of a cluster in a test: a registry on its own data directory and its own real thread pool,
 * in cluster mode on an upstream, with a manual clock (the periodic head check runs when the test
 * advances it). Public for the PostgreSQL cluster tests in {@code io.livestore.sync}.
 */
public final class ClusterNode implements AutoCloseable {

    /** The definition every node uses: one name, the issue schema. */
    public static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();

    public final String name;
    public final Path dataDir;
    public final ManualScheduler clock = new ManualScheduler();
    public final StoreRegistry registry;
    private final ExecutorService pool;

    public ClusterNode(String name, Path dataDir, Upstream upstream) {
        this(name, dataDir, upstream, b -> { });
    }

    public ClusterNode(String name, Path dataDir, Upstream upstream, Consumer<RegistryOptions.Builder> more) {
        this.name = name;
        this.dataDir = dataDir;
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "node-" + name);
            t.setDaemon(true);
            return t;
        });
        RegistryOptions.Builder b = RegistryOptions.builder()
                .storage(StoreStorage.directory(dataDir))
                .scheduler(clock)
                .executor(pool)
                .upstream(upstream)
                .nodeId(name);
        more.accept(b);
        this.registry = new StoreRegistry(b.build());
    }

    /** The store, loaded (waits for the load). */
    public <S extends Schema> Store<S> store(StoreDefinition<S> definition, String storeId) {
        return registry.getOrLoad(definition, storeId).toCompletableFuture().join();
    }

    public Store<IssueSchema> store(String storeId) {
        return store(ISSUE, storeId);
    }

    /** True while the node follows the store's upstream log (Y7). */
    public boolean follows(String storeId) {
        UpstreamFollower f = registry.follower();
        return f != null && f.follows(storeId);
    }

    public void checkInvariants() {
        registry.checkInvariants();
    }

    @Override
    public void close() throws InterruptedException {
        registry.close();
        registry.checkInvariants();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ shared assertions

    /** The issue tables as one text: what "equal state" compares. */
    public static String tables(Store<?> store) {
        return store.query(Query.of(String.class, "SELECT id || '|' || title || '|' || closed || '|' || version FROM issue "
                + "ORDER BY id")) + " " + store.query(Query.of(String.class, "SELECT name || '=' || value FROM counter "
                + "ORDER BY name"));
    }

    /** The tables a fresh replay of {@code log} gives (an in-memory store without upstream). */
    public static String replayed(List<LogEvent> log) {
        try (Store<IssueSchema> fresh = StoreOpener.builder("issue", IssueSchema.class).build().open("replay")) {
            if (!log.isEmpty()) {
                LocalLog.of(fresh).apply(log);
            }
            return tables(fresh);
        }
    }

    /** Waits (polling, at most {@code timeout}) for a condition reached by other threads. */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
