package io.livestore.jaxrs;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.StoreAccessDeniedException;
import io.livestore.cdi.internal.StoreAdmission;
import io.livestore.cdi.internal.StorePlan;
import io.livestore.registry.StoreIdConflictException;
import io.livestore.registry.StoreLease;
import io.livestore.store.InvalidStoreIdException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * After matching, makes every store the matched resource injects ready before the method runs (C6),
 * through the library's one admission step: resolves all their ids from the path parameters (400 for a
 * bad one), asks the access policies for all of them (403 before anything is loaded), then retains
 * them all at once — loads run in parallel on the registry's executor — and waits for them with a
 * deadline (503, with Retry-After when the deadline passed). The request holds the leases by plan until
 * it ends, so the resource's injections use them (one retention per store and request, no id resolved
 * twice) and the stores cannot be disposed in between. Register it in an {@code Application} that lists
 * its classes ({@link LiveStoreJaxrsExtension#PROVIDERS}); scanning servers find it by {@code @Provider}.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.USER)
public class LiveStorePreloadFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resourceInfo;
    @Inject
    StoreAdmission admission;

    private final Duration timeout = LiveStoreConfig.preloadTimeout();

    @Override
    public void filter(ContainerRequestContext request) {
        if (!admission.inRequest()) {
            return; // no request scope: nothing can hold leases, and injections say what is wrong
        }
        Class<?> resource = resourceInfo.getResourceClass();
        // Plans are recorded per bean class and already include inherited injection points.
        List<StorePlan> plans = resource == null ? List.of() : admission.plansFor(resource);
        List<StoreLease<?>> leases = admission.admitRequest(flatten(request.getUriInfo().getPathParameters()), plans,
                LiveStorePreloadFilter::problem);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (StoreLease<?> lease : leases) {
            CompletableFuture<?> loaded = lease.whenLoaded().toCompletableFuture();
            try {
                loaded.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                int retry = (int) Math.max(1, timeout.toSeconds());
                throw new StoreProblem(503, lease.definition().name(), lease.storeId(), retry,
                        new io.livestore.registry.StoreLoadTimeoutException(lease.definition().name() + " store '"
                                + lease.storeId() + "' was not loaded within " + timeout + "; the load goes on", e));
            } catch (ExecutionException e) {
                throw new StoreProblem(503, lease.definition().name(), lease.storeId(), null, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreProblem(503, lease.definition().name(), lease.storeId(), 1, e);
            }
        }
    }

    /** The status of a failed admission step (C6): 400 bad id, 403 refused, 409 id conflict, else 500. */
    private static RuntimeException problem(StoreAdmission.Step step, String definition, String storeId, RuntimeException e) {
        return switch (step) {
            case RESOLVE -> new StoreProblem(500, definition, null, null, e); // e.g. a StoreIdResolver failed
            case VALIDATE -> new StoreProblem(e instanceof InvalidStoreIdException ? 400 : 500, definition, storeId, null, e);
            case AUTHORIZE -> new StoreProblem(e instanceof StoreAccessDeniedException ? 403 : 500, definition, storeId, null, e);
            // The id in use by another kind of store: a client-visible conflict, not a server fault.
            case RETAIN -> e instanceof StoreIdConflictException ? new StoreProblem(409, definition, storeId, null, e) : e;
        };
    }

    private static Map<String, String> flatten(MultivaluedMap<String, String> parameters) {
        Map<String, String> flat = new HashMap<>();
        parameters.forEach((name, values) -> {
            if (!values.isEmpty()) {
                flat.put(name, values.get(0));
            }
        });
        return flat;
    }
}
