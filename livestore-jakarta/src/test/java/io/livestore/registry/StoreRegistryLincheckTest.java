package io.livestore.registry;

import io.livestore.store.BootReport;
import io.livestore.store.CommittedEvent;
import io.livestore.store.Event;
import io.livestore.store.IssueSchema;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.store.Subscription;
import io.livestore.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: getOrLoad / retain / close(lease) / drop / preload / clear on two storeIds, from several
 * threads, checked for linearizability against {@link Model}, a sequential model of what the registry
 * promises (R1, R3, R8, R10). Stores are fakes, loads run on the calling thread, time does not move.
 */
@Param(name = "id", gen = IntGen.class, conf = "0:1")
public class StoreRegistryLincheckTest {

    static final StoreDefinition<IssueSchema> DEF = StoreDefinition.builder("lin", IssueSchema.class).build();

    private final StoreRegistry registry = new StoreRegistry(RegistryOptions.builder()
            .storage(StoreStorage.inMemory())
            .defaultUnusedCacheTime(Duration.ofHours(1))
            .scheduler(new ManualScheduler())
            .executor(Runnable::run)
            .loader((definition, opener, storeId, cancel) -> new FakeStore(storeId))
            .build());
    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedDeque<StoreLease<IssueSchema>>[] leases =
            new ConcurrentLinkedDeque[] {new ConcurrentLinkedDeque<>(), new ConcurrentLinkedDeque<>()};

    private static String storeId(int id) {
        return "s" + id;
    }

    /** True when a store was handed out open, or the access met a concurrent drop or clear. */
    @Operation
    public boolean getOrLoad(@Param(name = "id") int id) {
        try {
            return registry.getOrLoad(DEF, storeId(id)).toCompletableFuture().join() != null;
        } catch (CompletionException e) {
            return e.getCause() instanceof StoreDroppedException;
        }
    }

    @Operation
    public void preload(@Param(name = "id") int id) {
        registry.preload(DEF, storeId(id)).toCompletableFuture().join();
    }

    @Operation
    public boolean retain(@Param(name = "id") int id) {
        StoreLease<IssueSchema> lease = registry.retain(DEF, storeId(id));
        leases[id].add(lease);
        try {
            return lease.store() != null; // a concurrent drop or clear may close it right after (R10)
        } catch (StoreDroppedException dropped) {
            return true; // dropped meanwhile (R10)
        }
    }

    @Operation
    public void closeLease(@Param(name = "id") int id) {
        StoreLease<IssueSchema> lease = leases[id].poll();
        if (lease != null) {
            lease.close();
        }
    }

    @Operation
    public void drop(@Param(name = "id") int id) {
        registry.drop(DEF, storeId(id));
    }

    @Operation
    public void clear() {
        registry.clear();
    }

    @Operation
    public int retentions(@Param(name = "id") int id) {
        return registry.snapshot().store(storeId(id)).map(StoreSnapshot::retentions).orElse(0);
    }

    @Operation
    public int loaded() {
        return registry.stats().loadedStores();
    }

    @Test
    void isLinearizableAgainstTheSequentialModel() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(4)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(2)
                .sequentialSpecification(Model.class);
        LinCheckerKt.check(options, StoreRegistryLincheckTest.class);
    }

    /** The registry's promises, one call at a time. */
    public static final class Model {
        private final boolean[] loaded = new boolean[2];
        private final int[] generation = new int[2];
        @SuppressWarnings("unchecked")
        private final ArrayDeque<Integer>[] leases = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};

        public boolean getOrLoad(int id) {
            loaded[id] = true; // R1
            return true;
        }

        public void preload(int id) {
            loaded[id] = true;
        }

        public boolean retain(int id) {
            loaded[id] = true;
            leases[id].add(generation[id]); // counted at once (R8)
            return true;
        }

        public void closeLease(int id) {
            leases[id].poll();
        }

        public void drop(int id) {
            loaded[id] = false; // R10: its leases no longer count
            generation[id]++;
        }

        public void clear() {
            drop(0);
            drop(1);
        }

        public int retentions(int id) {
            if (!loaded[id]) {
                return 0;
            }
            int n = 0;
            for (int g : leases[id]) {
                if (g == generation[id]) {
                    n++;
                }
            }
            return n;
        }

        public int loaded() {
            return (loaded[0] ? 1 : 0) + (loaded[1] ? 1 : 0);
        }
    }

    /** A store that only knows whether it is closed. */
    static final class FakeStore implements Store<IssueSchema> {
        private final String storeId;
        private volatile boolean closed;

        FakeStore(String storeId) {
            this.storeId = storeId;
        }

        @Override public String storeId() { return storeId; }
        @Override public String definitionName() { return DEF.name(); }
        @Override public long head() { return 0; }
        @Override public long commit(Event... events) { throw new UnsupportedOperationException(); }
        @Override public long commit(List<? extends Event> events) { throw new UnsupportedOperationException(); }
        @Override public <T> T query(Query<T> query) { throw new UnsupportedOperationException(); }
        @Override public <T> Subscription subscribe(Query<T> query, Consumer<? super T> onResult) { throw new UnsupportedOperationException(); }
        @Override public List<CommittedEvent> eventsSince(long seq) { return List.of(); }
        @Override public List<CommittedEvent> eventsSince(long seq, int limit) { return List.of(); }
        @Override public BootReport bootReport() { return null; }
        @Override public boolean isClosed() { return closed; }
        @Override public void close() { closed = true; }
    }
}
