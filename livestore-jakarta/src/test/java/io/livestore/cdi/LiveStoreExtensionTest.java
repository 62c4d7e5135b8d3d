package io.livestore.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.cdi.CdiFixtures.Definitions;
import io.livestore.cdi.CdiFixtures.Injected;
import io.livestore.cdi.CdiFixtures.OnlyLiteral;
import io.livestore.cdi.CdiFixtures.TenantResolver;
import io.livestore.cdi.internal.StoreAdmission;
import io.livestore.registry.StoreRegistry;
import io.livestore.registry.StoreSnapshot;
import io.livestore.registry.StoreState;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Store;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;

/** C1, C3, C4, C5, C7 on Weld SE through weld-junit5. */
@EnableWeld
class LiveStoreExtensionTest {

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtension(new LiveStoreExtension())
                    .addBeanClasses(Definitions.class, TenantResolver.class, Injected.class, OnlyLiteral.class,
                            CdiFixtures.WatchesItsPreDestroy.class, CdiFixtures.MethodDefinitions.class,
                            CdiFixtures.PartlyRefused.class, CdiFixtures.LookupDefinitions.class,
                            Policies.RefuseSecret.class))
            .build();

    @Inject
    RequestContextController requests;
    @Inject
    Instance<Injected> injected;
    @Inject
    Instance<OnlyLiteral> onlyLiteral;
    @Inject
    Instance<Stores> stores;
    @Inject
    StoreAdmission admission;
    @Inject
    StoreRegistry registry;

    private Injected inRequest(Map<String, String> pathParameters) {
        admission.admitRequest(pathParameters, List.of(), StoreAdmission.Failures.RETHROW); // what the JAX-RS filter does
        Injected bean = injected.get();
        bean.literal().storeId(); // touch the proxy so the bean and its stores are created now
        return bean;
    }

    private int retentions(String storeId) {
        return registry.snapshot().store(storeId).map(StoreSnapshot::retentions).orElse(0);
    }

    @Test
    void everyKindOfIdResolvesAsC3Says() {
        requests.activate();
        try {
            Injected bean = inRequest(Map.of("issueId", "42", "orgId", "acme"));
            assertEquals("issue-1", bean.literal().storeId(), "literal");
            assertEquals("42", bean.template().storeId(), "template {issueId}");
            assertEquals("org-acme", bean.composite().storeId(), "template org-{orgId}");
            assertEquals("42", bean.byParameter().storeId(), "no id: the path parameter <def>Id");
            assertEquals("workspace-root", bean.single().storeId(), "no def, no id: the one workspace definition's fixed id");
            assertEquals("tenant-acme", bean.resolved().storeId(), "no id: the definition's StoreIdResolver");
            Store<IssueSchema> async = bean.async().toCompletableFuture().join();
            assertEquals("async-1", async.storeId(), "CompletionStage<Store<S>>");
            assertEquals(1, bean.literal().commit(new IssueCreated("a", "A")));
            assertEquals(1, registry.getOrLoad(CdiFixtures.Definitions.ISSUE, "issue-1").toCompletableFuture().join().head(),
                    "the injected store is the registry's store");
        } finally {
            requests.deactivate();
        }
    }

    @Test
    void aStoreIsRetainedExactlyWhileTheRequestScopedBeanLives() {
        requests.activate();
        try {
            OnlyLiteral bean = onlyLiteral.get();
            bean.store().storeId();
            assertEquals(1, retentions("issue-1"), "retained when the bean is created");
            assertEquals(StoreState.ACTIVE, registry.snapshot().store("issue-1").orElseThrow().state());
            CdiFixtures.CLOCK.advance(Duration.ofHours(1));
            assertTrue(registry.has(Definitions.ISSUE, "issue-1"), "never disposed while a request holds it");
        } finally {
            requests.deactivate();
        }
        assertEquals(0, retentions("issue-1"), "released when the request ends");
        assertEquals(StoreState.INACTIVE, registry.snapshot().store("issue-1").orElseThrow().state());
        CdiFixtures.CLOCK.advance(Duration.ofSeconds(29));
        assertTrue(registry.has(Definitions.ISSUE, "issue-1"));
        CdiFixtures.CLOCK.advance(Duration.ofSeconds(1));
        assertFalse(registry.has(Definitions.ISSUE, "issue-1"), "disposed after the definition's 30 s");
    }

    @Inject
    Instance<CdiFixtures.WatchesItsPreDestroy> watcher;

    @Test
    void theInterceptorReleasesTheRetentionAtTheBeansPreDestroy() {
        requests.activate();
        try {
            watcher.get().store().storeId();
            assertEquals(1, retentions("watched"));
        } finally {
            requests.deactivate();
        }
        // The interceptor's @PreDestroy runs around the bean's own: by then the retention is gone,
        // before the container even starts destroying the bean's dependent objects.
        assertEquals(0, CdiFixtures.WatchesItsPreDestroy.retentionsSeenInPreDestroy);
        assertEquals(0, retentions("watched"));
    }

    @Test
    void twoRequestsCountTwoRetentions() {
        requests.activate();
        try {
            onlyLiteral.get().store().storeId();
            assertEquals(1, retentions("issue-1"));
        } finally {
            requests.deactivate();
        }
        assertEquals(0, retentions("issue-1"));
    }

    @Test
    void dynamicStoresAreRetainedUntilTheRequestEnds() {
        requests.activate();
        try {
            Stores facade = stores.get();
            Store<IssueSchema> a = facade.get(Definitions.ISSUE, "dyn-a");
            Store<IssueSchema> b = facade.get("issue", "dyn-b");
            assertEquals("dyn-a", a.storeId());
            assertEquals("dyn-b", b.storeId());
            assertEquals(1, retentions("dyn-a"));
            assertEquals(1, retentions("dyn-b"));
        } finally {
            requests.deactivate();
        }
        assertEquals(0, retentions("dyn-a"));
        assertEquals(0, retentions("dyn-b"));
    }

    @Inject
    Instance<CdiFixtures.PartlyRefused> partlyRefused;
    @Inject
    @StoreDef("board")
    Instance<io.livestore.registry.StoreDefinition<IssueSchema>> board;

    @Test
    void aBeanWhoseCreationFailsHalfWayLeavesNoRetentionBehind() {
        requests.activate();
        try {
            assertThrows(StoreAccessDeniedException.class, () -> partlyRefused.get().allowed().storeId());
        } finally {
            requests.deactivate();
        }
        assertEquals(0, retentions("ok-1"), "the first store's retention ended with the request");
    }

    @Test
    void definitionsFromProducerMethodsWorkAlthoughEachInjectionIsANewInstance() {
        for (int i = 0; i < 2; i++) {
            requests.activate();
            try {
                io.livestore.registry.StoreDefinition<IssueSchema> definition = board.get();
                Store<IssueSchema> store = stores.get().get(definition, "board-1");
                assertEquals("board-1", store.storeId());
                store.close(); // releases this retention only
                assertEquals(0, retentions("board-1"));
            } finally {
                requests.deactivate();
            }
        }
        assertEquals(0, retentions("board-1"));
        assertTrue(registry.snapshot().store("board-1").isPresent(), "closing a facade store did not close the shared one");
        assertEquals(StoreState.INACTIVE, registry.snapshot().store("board-1").orElseThrow().state());
    }

    @Test
    void programmaticLookupWorksForASchemaNoFieldInjects() {
        requests.activate();
        try {
            Store<CdiFixtures.LookupOnlySchema> store = weld.select(
                    new jakarta.enterprise.util.TypeLiteral<Store<CdiFixtures.LookupOnlySchema>>() { },
                    LiveStore.Literal.of("lookup", "l-1")).get();
            assertEquals("l-1", store.storeId());
            assertEquals(1, retentions("l-1"));
        } finally {
            requests.deactivate();
        }
    }

    @Test
    void anAccessPolicyRefusalLoadsNothing() {
        requests.activate();
        try {
            StoreAccessDeniedException e = assertThrows(StoreAccessDeniedException.class,
                    () -> stores.get().get(Definitions.ISSUE, "secret-1"));
            assertEquals("LIVESTORE-0320", e.messageId());
            assertEquals("secret-1", e.storeId());
            assertFalse(registry.snapshot().store("secret-1").isPresent());
        } finally {
            requests.deactivate();
        }
    }

    @Test
    void aTemplateOutsideAJaxRsRequestIsAClearError() {
        requests.activate();
        try {
            StoreResolutionException e = assertThrows(StoreResolutionException.class, () -> {
                Injected bean = injected.get();
                bean.template().storeId();
            });
            assertTrue(e.getMessage().matches("LIVESTORE-0311: io\\.livestore\\.cdi\\.CdiFixtures\\$Injected\\.\\w+ takes its "
                    + "storeId from path parameter\\(s\\) \\[\\w+\\] .*there is no matched JAX-RS request.*"), e.getMessage());
        } finally {
            requests.deactivate();
        }
    }
}
