package io.livestore.registry;

import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shared set-up for registry tests: a manual clock, a counting loader, in-memory stores; the registry's
 * invariants are checked after every test.
 */
@ExtendWith(RegistryInvariantsExtension.class)
abstract class RegistryTestSupport {

    final ManualScheduler clock = new ManualScheduler();
    final TestLoader loader = new TestLoader();
    final List<StoreRegistry> registries = new ArrayList<>();
    /** Executors that run only when told: closing a registry needs them to run its closes. */
    final List<ManualExecutor> manualExecutors = new ArrayList<>();

    static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();

    StoreRegistry registry(Duration defaultTime) {
        return registry(defaultTime, Runnable::run, b -> { });
    }

    StoreRegistry registry(Duration defaultTime, Executor executor, Consumer<RegistryOptions.Builder> more) {
        RegistryOptions.Builder b = RegistryOptions.builder()
                .defaultUnusedCacheTime(defaultTime)
                .storage(StoreStorage.inMemory())
                .scheduler(clock)
                .executor(executor)
                .loader(loader);
        more.accept(b);
        StoreRegistry r = new StoreRegistry(b.build());
        registries.add(r);
        if (executor instanceof ManualExecutor manual) {
            manualExecutors.add(manual);
        }
        return r;
    }

    @AfterEach
    void closeRegistries() {
        if (loader.loadGate != null) {
            while (loader.loadGate.getCount() > 0) {
                loader.loadGate.countDown();
            }
        }
        if (loader.closeGate != null) {
            while (loader.closeGate.getCount() > 0) {
                loader.closeGate.countDown();
            }
        }
        for (StoreRegistry registry : registries) {
            Thread closer = new Thread(registry::close, "test-registry-close");
            closer.start();
            try {
                while (closer.isAlive()) {
                    manualExecutors.forEach(ManualExecutor::runAll);
                    closer.join(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void advance(long millis) {
        clock.advance(Duration.ofMillis(millis));
    }

    static <T> T now(CompletionStage<T> stage) {
        var f = stage.toCompletableFuture();
        if (!f.isDone()) {
            throw new AssertionError("expected a completed stage");
        }
        return f.join();
    }

    /** getOrLoad that must complete at once (direct executor). */
    static Store<IssueSchema> get(StoreRegistry registry, String id) {
        return now(registry.getOrLoad(ISSUE, id));
    }

    static StoreDefinition<IssueSchema> issueDefinition(String name, Duration time) {
        StoreDefinition.Builder<IssueSchema> b = StoreDefinition.builder(name, IssueSchema.class);
        if (time != null) {
            b.unusedCacheTime(time);
        }
        return b.build();
    }
}
