package io.livestore.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livestore.cdi.CdiFixtures.Definitions;
import io.livestore.cdi.CdiFixtures.TenantSchema;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.IssueSchema;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldJunit5Extension;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application's options, policies and resolvers are used as a CDI lookup would use them:
 * a {@code @Dependent} resolver per use, decorators applied, enabled alternatives winning.
 */
@ExtendWith(WeldJunit5Extension.class)
class ApplicationBeansTest {

    /** Per-request state, as a JWT claim or a header would be. */
    @RequestScoped
    public static class CurrentTenant {
        private String name = "nobody";

        String name() {
            return name;
        }

        void set(String name) {
            this.name = name;
        }
    }

    /** A @Dependent resolver that captures the request's tenant when it is created. */
    @StoreDef("tenant")
    public static class TenantAtCreation implements StoreIdResolver {
        private final String tenant;

        @Inject
        TenantAtCreation(CurrentTenant current) {
            this.tenant = current.name();
        }

        @Override
        public String resolve() {
            return "tenant-" + tenant;
        }
    }

    @RequestScoped
    public static class TenantPage {
        @Inject
        @LiveStore(def = "tenant")
        Store<TenantSchema> store;

        String storeId() {
            return store.storeId();
        }
    }

    /** Counts the decisions of every access policy. */
    @Decorator
    @Priority(10)
    public abstract static class CountingPolicy implements StoreAccessPolicy {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Inject
        @Delegate
        StoreAccessPolicy delegate;

        @Override
        public boolean allows(String definition, String storeId) {
            CALLS.incrementAndGet();
            return delegate.allows(definition, storeId);
        }
    }

    /** Replaces the fixtures' options, as a test setup or a deployment profile would. */
    public static class OverridingOptions {
        @Produces
        @Alternative
        @Priority(100)
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.inMemory()).executor(Runnable::run)
                    .scheduler(CdiFixtures.CLOCK).maxLoadedStores(77).build();
        }
    }

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtension(new LiveStoreExtension())
                    .addBeanClasses(Definitions.class, CurrentTenant.class, TenantAtCreation.class, TenantPage.class,
                            Policies.RefuseSecret.class, CountingPolicy.class, OverridingOptions.class))
            .build();

    @Inject
    RequestContextController requests;
    @Inject
    Instance<TenantPage> pages;
    @Inject
    Instance<CurrentTenant> tenants;
    @Inject
    Instance<Stores> stores;
    @Inject
    StoreRegistry registry;

    private String storeIdFor(String tenant) {
        requests.activate();
        try {
            tenants.get().set(tenant);
            return pages.get().storeId();
        } finally {
            requests.deactivate();
        }
    }

    @Test
    void aDependentResolverIsCreatedForEachUseAndNeverServesAnotherRequestsId() {
        assertEquals("tenant-acme", storeIdFor("acme"));
        assertEquals("tenant-globex", storeIdFor("globex"), "not the first request's tenant");
    }

    @Test
    void policiesAreUsedWithTheirDecorators() {
        int before = CountingPolicy.CALLS.get();
        requests.activate();
        try {
            Store<IssueSchema> allowed = stores.get().get(Definitions.ISSUE, "open-1");
            assertEquals("open-1", allowed.storeId());
            assertThrows(StoreAccessDeniedException.class, () -> stores.get().get(Definitions.ISSUE, "secret-1"));
        } finally {
            requests.deactivate();
        }
        assertEquals(before + 2, CountingPolicy.CALLS.get(), "the decorator saw both decisions");
    }

    @Test
    void anEnabledAlternativeRegistryOptionsWins() {
        assertEquals(77, registry.options().maxLoadedStores().getAsInt());
    }
}
