package io.livestore.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.cdi.LiveStore;
import io.livestore.cdi.LiveStoreExtension;
import io.livestore.cdi.StoreAccessDeniedException;
import io.livestore.cdi.StoreAccessPolicy;
import io.livestore.cdi.StoreDef;
import io.livestore.cdi.StoreIdResolver;
import io.livestore.testing.ManualScheduler;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreIdConflictException;
import io.livestore.registry.StoreRegistry;
import io.livestore.registry.StoreSnapshot;
import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one way in (issue 9, item 13): each id resolved and checked once, policies before retention, one lease per plan. */
@EnableWeld
class StoreAdmissionTest {

    static final AtomicInteger RESOLVED = new AtomicInteger();
    /** What the policy saw: "definition/storeId retainedSoFar". */
    static final List<String> ASKED = new ArrayList<>();
    static StoreRegistry registryForPolicy;

    @ApplicationScoped
    public static class Definitions {
        @Produces
        @StoreDef("issue")
        static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();

        @Produces
        @StoreDef("tenant")
        static final StoreDefinition<IssueSchema> TENANT = StoreDefinition.builder("tenant", IssueSchema.class).build();

        @Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.inMemory()).scheduler(new ManualScheduler())
                    .executor(Runnable::run).build();
        }
    }

    /** Counts its calls: an application's resolver may be costly or give another answer the second time. */
    @StoreDef("tenant")
    public static class CountingResolver implements StoreIdResolver {
        @Override
        public String resolve() {
            return "tenant-" + RESOLVED.incrementAndGet();
        }
    }

    @ApplicationScoped
    public static class RecordingPolicy implements StoreAccessPolicy {
        @Override
        public boolean allows(String definition, String storeId) {
            synchronized (ASKED) {
                ASKED.add(definition + "/" + storeId + " " + registryForPolicy.snapshot().stores().size());
            }
            return !storeId.startsWith("secret");
        }
    }

    @RequestScoped
    public static class TenantUser {
        @Inject
        @LiveStore(def = "tenant")
        Store<IssueSchema> tenant;

        Store<IssueSchema> tenant() {
            return tenant;
        }
    }

    /** Two injection points, two plans, one store. */
    @RequestScoped
    public static class TwoWays {
        @Inject
        @LiveStore(def = "issue", id = "{issueId}")
        Store<IssueSchema> byTemplate;
        @Inject
        @LiveStore(def = "issue")
        Store<IssueSchema> byParameter;

        String ids() {
            return byTemplate.storeId() + "," + byParameter.storeId();
        }
    }

    @RequestScoped
    public static class Pair {
        @Inject
        @LiveStore(def = "issue", id = "{a}")
        Store<IssueSchema> a;
        @Inject
        @LiveStore(def = "tenant", id = "{b}")
        Store<IssueSchema> b;
    }

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtension(new LiveStoreExtension())
                    .addBeanClasses(Definitions.class, CountingResolver.class, RecordingPolicy.class, TenantUser.class,
                            TwoWays.class, Pair.class))
            .build();

    @Inject
    RequestContextController requests;
    @Inject
    StoreAdmission admission;
    @Inject
    StoreRegistry registry;
    @Inject
    Instance<TenantUser> tenantUser;
    @Inject
    Instance<TwoWays> twoWays;

    @BeforeEach
    void reset() {
        RESOLVED.set(0);
        ASKED.clear();
        registryForPolicy = registry;
    }

    private int retentions(String storeId) {
        return registry.snapshot().store(storeId).map(StoreSnapshot::retentions).orElse(0);
    }

    private List<io.livestore.registry.StoreLease<?>> admitRequest(Map<String, String> parameters, Class<?> resource) {
        return admission.admitRequest(parameters, admission.plansFor(resource), StoreAdmission.Failures.RETHROW);
    }

    @Test
    void theFiltersAdmissionResolvesTheIdOnceAndTheInjectionUsesItsLease() {
        requests.activate();
        try {
            admitRequest(Map.of(), TenantUser.class);
            assertEquals("tenant-1", tenantUser.get().tenant().storeId(), "the injection got the filter's store");
            assertEquals(1, RESOLVED.get(), "the resolver was asked once for the request");
            assertEquals(1, retentions("tenant-1"), "one retention per store and request");
        } finally {
            requests.deactivate();
        }
        assertEquals(0, retentions("tenant-1"));
    }

    @Test
    void twoPlansForOneStoreShareOneRetention() {
        requests.activate();
        try {
            admitRequest(Map.of("issueId", "i-1"), TwoWays.class);
            assertEquals("i-1,i-1", twoWays.get().ids());
            assertEquals(1, retentions("i-1"));
        } finally {
            requests.deactivate();
        }
        assertEquals(0, retentions("i-1"));
    }

    @Test
    void everyIdIsAskedForBeforeAnyIsRetainedAndOneRefusalRetainsNone() {
        requests.activate();
        try {
            assertThrows(StoreAccessDeniedException.class, () -> admitRequest(Map.of("a", "ok-1", "b", "secret-2"), Pair.class));
            assertEquals(List.of("issue/ok-1 0", "tenant/secret-2 0"), ASKED, "both asked while nothing was retained");
            assertFalse(registry.snapshot().store("ok-1").isPresent(), "nothing loaded");
        } finally {
            requests.deactivate();
        }
    }

    @Test
    void anInvalidIdFailsBeforeAnyPolicyIsAsked() {
        requests.activate();
        try {
            List<String> steps = new ArrayList<>();
            RuntimeException e = assertThrows(RuntimeException.class, () -> admission.admitRequest(
                    Map.of("a", "ok-1", "b", "bad id"), admission.plansFor(Pair.class), (step, definition, storeId, cause) -> {
                        steps.add(step + " " + definition + " " + storeId);
                        return cause;
                    }));
            assertEquals("LIVESTORE-0101", ((io.livestore.store.LiveStoreException) e).messageId());
            assertEquals(List.of("VALIDATE tenant bad id"), steps);
            assertTrue(ASKED.isEmpty(), "no policy asked");
        } finally {
            requests.deactivate();
        }
    }

    @Test
    void aFailedRetainReleasesTheStoresAlreadyRetained() {
        requests.activate();
        try {
            // Both "shared-1": the second definition's retain conflicts with the first's store.
            assertThrows(StoreIdConflictException.class, () -> admitRequest(Map.of("a", "shared-1", "b", "shared-1"), Pair.class));
            assertEquals(0, retentions("shared-1"), "released at once, not only when the request ends");
        } finally {
            requests.deactivate();
        }
    }

    @Test
    void storesOfADefinitionFromAnotherInstanceAreTheApplicationsDefinitionsStores() {
        StoreDefinition<IssueSchema> copy = StoreDefinition.builder("issue", IssueSchema.class).build();
        try (var lease = admission.admit(copy, "copy-1")) {
            assertTrue(lease.definition() == Definitions.ISSUE, "canonicalised to the application's instance");
        }
    }
}
