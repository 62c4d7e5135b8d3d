package io.livestore.cdi;

import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Schema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns {@code @LiveStore} injection points into retained stores at run time, for the synthetic beans,
 * the {@link Stores} facade and the JAX-RS filter: resolves the id, asks the access policies, retains.
 */
@ApplicationScoped
public class StoreInjections {

    @Inject
    LiveStoreExtension extension;
    @Inject
    StoreRegistry registry;
    @Inject
    StoreRequestContext requestContext;
    @Inject
    BeanManager beanManager;

    /** Leases behind injected {@code CompletionStage<Store<S>>} values, so disposal can release them. */
    private final Map<CompletionStage<?>, StoreLease<?>> asyncLeases = new ConcurrentHashMap<>();

    /** The registry. */
    public StoreRegistry registry() {
        return registry;
    }

    LeasedStore<?> inject(InjectionPoint ip) {
        StorePlan plan = extension.plan(ip);
        String storeId = plan.storeId(pathParameters(), this::resolveId);
        StoreLease<?> requests = requestsLease(plan, storeId);
        if (requests != null) {
            return LeasedStore.borrowing(requests);
        }
        return new LeasedStore<>(retainForRequest(plan.definition(), storeId));
    }

    CompletionStage<?> injectAsync(InjectionPoint ip) {
        StorePlan plan = extension.plan(ip);
        String storeId = plan.storeId(pathParameters(), this::resolveId);
        StoreLease<?> requests = requestsLease(plan, storeId);
        if (requests != null) {
            return borrowedWhenLoaded(requests);
        }
        StoreLease<?> lease = retainForRequest(plan.definition(), storeId);
        CompletionStage<?> stage = lease.whenLoaded().thenApply(store -> new LeasedStore<>(lease));
        asyncLeases.put(stage, lease);
        return stage;
    }

    /** The retention the preload filter took for this store in the current request, or null. */
    private StoreLease<?> requestsLease(StorePlan plan, String storeId) {
        StoreRequestContext context = requestContext();
        return context == null ? null : context.leaseForInjections(plan.definition().name(), storeId);
    }

    private static <S extends Schema> CompletionStage<LeasedStore<S>> borrowedWhenLoaded(StoreLease<S> lease) {
        return lease.whenLoaded().thenApply(store -> LeasedStore.borrowing(lease));
    }

    /**
     * Retains, and inside a request also lets the request hold the lease: if creating the injecting bean
     * fails after this point the container destroys nothing, and the request's end still releases it.
     * Releasing twice is harmless.
     */
    private <S extends Schema> StoreLease<S> retainForRequest(StoreDefinition<S> definition, String storeId) {
        StoreLease<S> lease = retain(definition, storeId);
        StoreRequestContext context = requestContext();
        if (context != null) {
            context.hold(lease);
        }
        return lease;
    }

    void release(Object injected) {
        if (injected instanceof LeasedStore<?> leased) {
            leased.close();
        } else if (injected instanceof CompletionStage<?> stage) {
            StoreLease<?> lease = asyncLeases.remove(stage);
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** Checks the access policies, then retains (with the application's one instance of the definition). */
    <S extends Schema> StoreLease<S> retain(StoreDefinition<S> definition, String storeId) {
        StoreDefinition<S> canonical = canonical(definition);
        checkAccess(canonical.name(), storeId);
        return registry.retain(canonical, storeId);
    }

    /**
     * The instance the extension resolved for a definition's name. A definition produced by a
     * {@code @Dependent} producer method is a new object on every injection; the registry identifies a
     * definition by instance, so callers' copies are mapped back to the one it knows.
     */
    @SuppressWarnings("unchecked")
    public <S extends Schema> StoreDefinition<S> canonical(StoreDefinition<S> definition) {
        StoreDefinition<?> known = extension.definitions().get(definition.name());
        if (known == null || known == definition) {
            return definition;
        }
        if (known.schemaClass() != definition.schemaClass()) {
            throw new StoreResolutionException("definition '" + definition.name() + "' has schema "
                    + definition.schemaClass().getName() + ", but the application's @StoreDef(\"" + definition.name()
                    + "\") has " + known.schemaClass().getName());
        }
        return (StoreDefinition<S>) known;
    }

    /**
     * Asks every {@link StoreAccessPolicy}.
     *
     * @throws StoreAccessDeniedException on the first refusal
     */
    public void checkAccess(String definition, String storeId) {
        if (!extension.applicationBeans().allow(beanManager, definition, storeId)) {
            throw new StoreAccessDeniedException(definition, storeId);
        }
    }

    private String resolveId(String definition) {
        return extension.applicationBeans().resolveId(beanManager, definition);
    }

    /** The plans of the {@code @LiveStore} injection points declared by a bean class (for the JAX-RS filter). */
    public List<StorePlan> plansFor(Class<?> beanClass) {
        return extension.plansFor(beanClass);
    }

    /** The storeId a plan gives in the current request. */
    public String storeId(StorePlan plan) {
        return plan.storeId(pathParameters(), this::resolveId);
    }

    /** The current request's context, or null outside a request. */
    public StoreRequestContext requestContext() {
        return requestActive() ? requestContext : null;
    }

    private Map<String, String> pathParameters() {
        return requestActive() ? requestContext.getPathParameters() : null;
    }

    private boolean requestActive() {
        try {
            return beanManager.getContext(RequestScoped.class).isActive();
        } catch (ContextNotActiveException e) {
            return false;
        }
    }

    /** A definition by name, for the {@link Stores} facade. */
    StoreDefinition<?> definition(String name) {
        return extension.definition(name);
    }
}
