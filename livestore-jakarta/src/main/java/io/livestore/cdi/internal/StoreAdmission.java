package io.livestore.cdi.internal;

import io.livestore.cdi.StoreAccessDeniedException;
import io.livestore.cdi.StoreResolutionException;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Schema;
import io.livestore.store.StoreIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way in: every path that hands a store to request code — the JAX-RS preload filter, injection,
 * {@link io.livestore.cdi.Stores}, live queries (and the sync endpoint) — admits its stores here, in
 * these steps, for all the stores of one call together:
 *
 * <ol>
 *   <li><b>resolve</b> each id once: a plan's from the path parameters passed in, a literal or the
 *       definition's {@code StoreIdResolver}; a given id as given;</li>
 *   <li><b>validate</b> each id once ({@link StoreIds#requireValid});</li>
 *   <li><b>canonicalise</b> the definition: the application's one instance of it, which the registry
 *       knows (a {@code @Dependent} producer method makes a new one per injection);</li>
 *   <li><b>authorize</b>: every {@code StoreAccessPolicy} is asked for every id before anything is
 *       retained, so one refusal loads nothing;</li>
 *   <li><b>retain</b> them all (loads start in parallel); if one retain fails, the others are released.</li>
 * </ol>
 *
 * Who holds the leases: {@link #admitRequest} (the filter) and {@link #admitForRequest}
 * ({@code Stores}) hold them in the request until it ends — the filter's by plan, and an injection
 * finds its lease by its plan ({@link #leaseForInjection}), so a request retains each store once and
 * resolves each id once. {@link #admit} gives the caller its own lease. {@link #admitForStream} serves
 * a live query, which outlives its request: it takes over the request's lease on its store instead of
 * retaining again, and releases what the request still holds when it ends, because a server may never
 * end the request scope of a Server-Sent Events request (Payara).
 *
 * <p>A failing step throws what {@link Failures} makes of it; {@link Failures#RETHROW} throws the
 * cause, which names the definition and storeId where they are known.
 */
@ApplicationScoped
public class StoreAdmission {

    /** The steps, for {@link Failures}. */
    public enum Step { RESOLVE, VALIDATE, AUTHORIZE, RETAIN }

    /** Turns a failed step into what the caller throws (the JAX-RS filter: a problem with its status). */
    @FunctionalInterface
    public interface Failures {
        /** Throws the cause itself. */
        Failures RETHROW = (step, definition, storeId, cause) -> cause;

        /**
         * @param step       the step that failed
         * @param definition the definition's name
         * @param storeId    the id as far as it is known (unvalidated in {@code VALIDATE}), or null
         * @param cause      what failed; a {@link StoreAccessDeniedException} for a refusal
         * @return the exception to throw
         */
        RuntimeException failed(Step step, String definition, String storeId, RuntimeException cause);
    }

    @Inject
    StoreDeployment deployment;
    @Inject
    StoreRegistry registry;
    @Inject
    StoreRequestContext requestContext;
    @Inject
    BeanManager beanManager;

    /**
     * One store asked for: by a plan (its id worked out here) or by a given id; {@code client} for a
     * LiveStore client's connection, whose {@code syncPayload} the policies see.
     */
    private record Ask(StoreDefinition<?> definition, StorePlan plan, String givenId, boolean client, String syncPayload) {
        Ask(StoreDefinition<?> definition, StorePlan plan, String givenId) {
            this(definition, plan, givenId, false, null);
        }
    }

    /** The registry all admissions retain from. */
    public StoreRegistry registry() {
        return registry;
    }

    /** The plans of the {@code @LiveStore} injection points a (resource) class declares. */
    public List<StorePlan> plansFor(Class<?> beanClass) {
        return deployment.plansFor(beanClass);
    }

    /**
     * Starts a matched JAX-RS request: records its path parameters for the request's injections, and
     * admits the {@code plans} (those of the matched resource; may be empty), held by the request by plan.
     *
     * @return the leases, in the order of {@code plans}, for the caller to wait on
     * @throws IllegalStateException outside an active request scope
     */
    public List<StoreLease<?>> admitRequest(Map<String, String> pathParameters, List<StorePlan> plans, Failures failures) {
        RequestLeases request = requestLeases();
        if (request == null) {
            throw new IllegalStateException("LIVESTORE-0316: no active request scope to admit stores for");
        }
        request.pathParameters(pathParameters);
        List<Ask> asks = new ArrayList<>(plans.size());
        for (StorePlan plan : plans) {
            asks.add(new Ask(plan.definition(), plan, null));
        }
        List<StoreLease<?>> leases = admit(asks, request.pathParameters(), true, failures);
        int held = 0;
        try {
            for (; held < plans.size(); held++) {
                request.hold(plans.get(held), leases.get(held));
            }
        } finally {
            releaseUnheld(leases, held);
        }
        return leases;
    }

    /**
     * The store of an injection: the lease the request holds for its plan (then {@code borrowed} is
     * true and the request releases it), else a lease admitted now, which the request also holds so
     * that its end releases it if the injecting bean is never destroyed.
     */
    Injection leaseForInjection(StorePlan plan) {
        RequestLeases request = requestLeases();
        if (request != null) {
            StoreLease<?> lease = request.leaseFor(plan);
            if (lease != null) {
                return new Injection(lease, true);
            }
        }
        StoreLease<?> lease = admit(List.of(new Ask(plan.definition(), plan, null)),
                request == null ? null : request.pathParameters(), false, Failures.RETHROW).get(0);
        if (request != null) {
            request.hold(lease);
        }
        return new Injection(lease, false);
    }

    /**
     * Closes the leases from {@code from} on: the request refused to hold one (it had just ended), so
     * nobody would ever release it or those after it.
     */
    private static void releaseUnheld(List<? extends StoreLease<?>> leases, int from) {
        for (int i = from; i < leases.size(); i++) {
            leases.get(i).close();
        }
    }

    /** An injection's lease, and whether it is the request's (borrowed) or the injection's own. */
    record Injection(StoreLease<?> lease, boolean borrowed) { }

    /** Admits one store; the caller owns the lease and releases it. */
    public <S extends Schema> StoreLease<S> admit(StoreDefinition<S> definition, String storeId) {
        return admitAll(definition, List.of(storeId), false).get(0);
    }

    /**
     * Admits the store of a LiveStore client's connection to the sync endpoint (L6): the policies are
     * asked with the client's {@code syncPayload} ({@code StoreAccessPolicy#allowsClient}). The caller
     * owns the lease and releases it when the connection ends.
     */
    public <S extends Schema> StoreLease<S> admitClient(StoreDefinition<S> definition, String storeId, String syncPayload) {
        StoreDefinition<S> canonical = canonical(definition);
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<StoreLease<S>> leases = (List) admit(List.of(new Ask(canonical, null, storeId, true, syncPayload)), null,
                false, Failures.RETHROW);
        return leases.get(0);
    }

    /**
     * Admits stores of one definition, held by the current request until it ends.
     *
     * @throws IllegalStateException outside an active request scope
     */
    public <S extends Schema> List<StoreLease<S>> admitForRequest(StoreDefinition<S> definition, List<String> storeIds) {
        RequestLeases request = requestLeases();
        if (request == null) {
            throw new IllegalStateException("LIVESTORE-0316: no active request scope to hold stores for");
        }
        List<StoreLease<S>> leases = admitAll(definition, storeIds, false);
        int held = 0;
        try {
            for (; held < leases.size(); held++) {
                request.hold(leases.get(held));
            }
        } finally {
            releaseUnheld(leases, held);
        }
        return leases;
    }

    /**
     * Admits the store of a live query. Inside a request that already holds a lease on that store (the
     * preload filter's), the stream takes that lease over, so it holds exactly one retention; else it
     * gets a new one. Closing the returned retention releases it, and whatever the request still
     * holds (it may have ended already: then that was released with it).
     */
    public <S extends Schema> StreamRetention<S> admitForStream(StoreDefinition<S> definition, String storeId) {
        StoreDefinition<S> canonical = canonical(definition);
        RequestLeases request = requestLeases();
        if (request != null) {
            StoreIds.requireValid(canonical.name(), storeId);
            @SuppressWarnings("unchecked")
            StoreLease<S> handed = (StoreLease<S>) request.handOver(canonical.name(), storeId);
            if (handed != null) {
                return new StreamRetention<>(handed, request); // admitted for this request already
            }
        }
        return new StreamRetention<>(admitAll(canonical, List.of(storeId), false).get(0), request);
    }

    private <S extends Schema> List<StoreLease<S>> admitAll(StoreDefinition<S> definition, List<String> storeIds,
                                                           boolean share) {
        StoreDefinition<S> canonical = canonical(definition);
        List<Ask> asks = new ArrayList<>(storeIds.size());
        for (String id : storeIds) {
            asks.add(new Ask(canonical, null, id));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<StoreLease<S>> leases = (List) admit(asks, null, share, Failures.RETHROW);
        return leases;
    }

    /**
     * The steps of the header, for all {@code asks} together.
     *
     * @param share whether asks for the same store share one lease (a request's plans), else one each
     */
    private List<StoreLease<?>> admit(List<Ask> asks, Map<String, String> pathParameters, boolean share, Failures failures) {
        int n = asks.size();
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            Ask ask = asks.get(i);
            String name = ask.definition().name();
            String raw = ask.givenId();
            if (ask.plan() != null) {
                try {
                    raw = ask.plan().unvalidatedStoreId(pathParameters, d -> deployment.resolveId(beanManager, d));
                } catch (RuntimeException e) {
                    throw failures.failed(Step.RESOLVE, name, null, e);
                }
            }
            try {
                ids[i] = StoreIds.requireValid(name, raw);
            } catch (RuntimeException e) {
                throw failures.failed(Step.VALIDATE, name, raw, e);
            }
        }
        for (int i = 0; i < n; i++) {
            String name = asks.get(i).definition().name();
            boolean allowed;
            try {
                Ask ask = asks.get(i);
                allowed = ask.client() ? deployment.allowsClient(beanManager, name, ids[i], ask.syncPayload())
                        : deployment.allows(beanManager, name, ids[i]);
            } catch (RuntimeException e) {
                throw failures.failed(Step.AUTHORIZE, name, ids[i], e);
            }
            if (!allowed) {
                throw failures.failed(Step.AUTHORIZE, name, ids[i], new StoreAccessDeniedException(name, ids[i]));
            }
        }
        List<StoreLease<?>> leases = new ArrayList<>(n);
        Map<List<String>, StoreLease<?>> byStore = new HashMap<>();
        for (int i = 0; i < n; i++) {
            StoreDefinition<?> definition = asks.get(i).definition();
            List<String> key = List.of(definition.name(), ids[i]);
            StoreLease<?> lease = share ? byStore.get(key) : null;
            if (lease == null) {
                try {
                    lease = registry.retain(definition, ids[i]);
                } catch (RuntimeException e) {
                    leases.forEach(StoreLease::close); // nobody else has them yet
                    throw failures.failed(Step.RETAIN, definition.name(), ids[i], e);
                }
                byStore.put(key, lease);
            }
            leases.add(lease);
        }
        return leases;
    }

    /**
     * The instance the extension resolved for a definition's name. A definition produced by a
     * {@code @Dependent} producer method is a new object on every injection; the registry identifies a
     * definition by instance, so callers' copies are mapped back to the one it knows.
     */
    @SuppressWarnings("unchecked")
    public <S extends Schema> StoreDefinition<S> canonical(StoreDefinition<S> definition) {
        StoreDefinition<?> known = deployment.definitions().get(definition.name());
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

    /** A definition by name. */
    public StoreDefinition<?> definition(String name) {
        return deployment.definition(name);
    }

    /** Whether a request scope is active, so that {@link #admitRequest} can hold leases. */
    public boolean inRequest() {
        return requestActive();
    }

    /** The current request's leases, or null outside a request. */
    private RequestLeases requestLeases() {
        return requestActive() ? requestContext.leases() : null;
    }

    private boolean requestActive() {
        try {
            return beanManager.getContext(RequestScoped.class).isActive();
        } catch (ContextNotActiveException e) {
            return false;
        }
    }
}
