package io.livestore.jaxrs;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.StoreAccessDeniedException;
import io.livestore.cdi.StoreInjections;
import io.livestore.cdi.StorePlan;
import io.livestore.cdi.StoreRequestContext;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * After matching, makes every store the matched resource injects ready before the method runs (C6):
 * resolves all their ids from the path parameters (400 for a bad one), asks the access policies for
 * all of them (403 before anything is loaded), then retains them all at once — loads run in parallel
 * on the registry's executor — and waits for them with a deadline (503, with Retry-After when the
 * deadline passed). The leases are held until the request ends, so the stores the resource then injects
 * are already loaded and cannot be disposed in between.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.USER)
public class LiveStorePreloadFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resourceInfo;
    @Inject
    StoreInjections injections;

    private final Duration timeout = LiveStoreConfig.preloadTimeout();

    @Override
    public void filter(ContainerRequestContext request) {
        StoreRequestContext context = injections.requestContext();
        if (context == null) {
            return;
        }
        context.setPathParameters(flatten(request.getUriInfo().getPathParameters()));
        Class<?> resource = resourceInfo.getResourceClass();
        if (resource == null) {
            return;
        }
        // Plans are recorded per bean class and already include inherited injection points.
        List<StorePlan> plans = injections.plansFor(resource);
        if (plans.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        for (StorePlan plan : plans) {
            try {
                ids.add(injections.storeId(plan));
            } catch (InvalidStoreIdException e) {
                throw new StoreProblem(400, plan.definition().name(),
                        plan.unvalidatedStoreId(context.getPathParameters()), null, e);
            } catch (io.livestore.store.LiveStoreException e) {
                throw new StoreProblem(500, plan.definition().name(), null, null, e);
            } catch (RuntimeException e) {
                // A StoreIdResolver of the application failed: still a problem response, not the container's page.
                throw new StoreProblem(500, plan.definition().name(), null, null, e);
            }
        }
        for (int i = 0; i < plans.size(); i++) {
            try {
                injections.checkAccess(plans.get(i).definition().name(), ids.get(i));
            } catch (StoreAccessDeniedException e) {
                throw new StoreProblem(403, e.definition(), e.storeId(), null, e);
            } catch (RuntimeException e) {
                throw new StoreProblem(500, plans.get(i).definition().name(), ids.get(i), null, e);
            }
        }
        List<StoreLease<?>> leases = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            StoreLease<?> lease;
            try {
                lease = injections.registry().retain(plans.get(i).definition(), ids.get(i));
            } catch (io.livestore.registry.StoreIdConflictException e) {
                // The id is in use by another kind of store: a client-visible conflict, not a server fault.
                throw new StoreProblem(409, plans.get(i).definition().name(), ids.get(i), null, e);
            }
            context.holdForInjections(lease);
            leases.add(lease);
        }
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
