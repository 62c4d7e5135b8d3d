package io.livestore.example.issuetracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.cdi.LiveStoreConfig;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreRegistry;
import io.livestore.registry.StoreSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dependent stores load in parallel: the issue stores a workspace lists, the child stores an issue
 * lists. Their loads are held at a barrier that lets them through only when all of them are under way
 * at once; loads one after another would time out there, and the request would fail with 503.
 */
class DependentStoresTest {

    /** Replaces the registry's options with the configured ones plus a loader that holds chosen loads at a barrier. */
    @ApplicationScoped
    public static class GatedLoads {
        static final Set<String> GATED = ConcurrentHashMap.newKeySet();
        static final AtomicInteger PASSED = new AtomicInteger();
        static volatile CyclicBarrier barrier = new CyclicBarrier(1);

        @Produces
        RegistryOptions options() {
            return LiveStoreConfig.registryOptions().toBuilder().loader((definition, opener, storeId, cancel) -> {
                if (GATED.remove(storeId)) {
                    barrier.await(10, TimeUnit.SECONDS);
                    PASSED.incrementAndGet();
                }
                return opener.open(storeId, cancel);
            }).build();
        }
    }

    static RunningTracker tracker;
    static ApiClient api;

    @BeforeAll
    static void start() {
        tracker = RunningTracker.start("dependent", GatedLoads.class);
        api = tracker.api();
    }

    @AfterAll
    static void stop() {
        if (tracker != null) {
            tracker.close();
        }
    }

    @BeforeEach
    void resetGate() {
        GatedLoads.GATED.clear();
        GatedLoads.PASSED.set(0);
    }

    @Test
    void theIssuesOfAWorkspaceLoadInParallel() {
        String workspace = api.createWorkspace("Parallel");
        List<String> issues = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            issues.add(api.createIssue(workspace, "Issue " + i));
        }
        unloadAndGate(issues);

        JsonNode view = expectParallel(api.get("api/workspaces/" + workspace), 3);
        assertEquals("Issue 3", view.path("issues").get(2).path("title").asText());
    }

    @Test
    void theChildrenOfAnIssueLoadInParallel() {
        String workspace = api.createWorkspace("Children");
        String parent = api.createIssue(workspace, "Parent");
        List<String> children = List.of(api.createChildIssue(workspace, parent, "Child 1"),
                api.createChildIssue(workspace, parent, "Child 2"));
        unloadAndGate(children);

        JsonNode view = expectParallel(api.get("api/workspaces/" + workspace + "/issues/" + parent), 2);
        assertEquals("Child 2", view.path("children").get(1).path("title").asText());
    }

    private static JsonNode expectParallel(ApiClient.Answer answer, int loads) {
        assertEquals(200, answer.status(), () -> "the " + loads + " loads pass the barrier only together; "
                + "a 503 means they ran one after another: " + answer.body());
        assertEquals(loads, GatedLoads.PASSED.get(), "every store was loaded through the barrier");
        return answer.json();
    }

    /** Closes the stores (once the requests that used them have ended) and gates their next loads. */
    private static void unloadAndGate(List<String> issueIds) {
        StoreRegistry registry = tracker.registry();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String id : issueIds) {
            // The server ends a request's scope, which releases its stores, just after the answer is sent.
            while (registry.snapshot().store(id).map(StoreSnapshot::retentions).orElse(0) > 0) {
                assertTrue(System.nanoTime() < deadline, "store " + id + " is still retained");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            registry.drop(StoreDefinitions.ISSUE, id);
            assertFalse(registry.has(StoreDefinitions.ISSUE, id));
        }
        GatedLoads.barrier = new CyclicBarrier(issueIds.size());
        GatedLoads.GATED.addAll(issueIds);
    }
}
