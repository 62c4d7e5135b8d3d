package io.livestore.cdi.internal;

import io.livestore.registry.StoreLease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the extension's synthetic {@code Store<S>} and {@code CompletionStage<Store<S>>} beans produce
 * and dispose: the injection point's plan, its lease through {@link StoreAdmission}, and the
 * {@link LeasedStore} around it.
 */
@ApplicationScoped
public class StoreInjections {

    @Inject
    StoreDeployment deployment;
    @Inject
    StoreAdmission admission;

    /** Leases behind injected {@code CompletionStage<Store<S>>} values, so disposal can release them. */
    private final Map<CompletionStage<?>, StoreLease<?>> asyncLeases = new ConcurrentHashMap<>();

    /** The store for an injection point. */
    public LeasedStore<?> inject(InjectionPoint ip) {
        return leased(admission.leaseForInjection(deployment.plan(ip)));
    }

    /** The store for an injection point of {@code CompletionStage<Store<S>>}, completed once loaded. */
    public CompletionStage<?> injectAsync(InjectionPoint ip) {
        StoreAdmission.Injection injection = admission.leaseForInjection(deployment.plan(ip));
        CompletionStage<?> stage = injection.lease().whenLoaded().thenApply(store -> leased(injection));
        if (!injection.borrowed()) {
            asyncLeases.put(stage, injection.lease());
        }
        return stage;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static LeasedStore<?> leased(StoreAdmission.Injection injection) {
        StoreLease lease = injection.lease();
        return injection.borrowed() ? LeasedStore.borrowing(lease) : LeasedStore.owning(lease);
    }

    /** Releases what {@link #inject} or {@link #injectAsync} gave (idempotent). */
    public void release(Object injected) {
        if (injected instanceof LeasedStore<?> leased) {
            leased.close();
        } else if (injected instanceof CompletionStage<?> stage) {
            StoreLease<?> lease = asyncLeases.remove(stage);
            if (lease != null) {
                lease.close();
            }
        }
    }
}
