package io.livestore.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.IssueSchema;
import io.livestore.store.StoreStorage;
import org.junit.jupiter.api.Test;

/** The request's leases that its injections share, found by plan. */
class StoreRequestContextTest {

    private static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();
    private static final StorePlan PLAN = new StorePlan(ISSUE, StorePlan.IdSource.LITERAL, IdTemplate.parse("i-1"), "T.a");
    private static final StorePlan OTHER = new StorePlan(ISSUE, StorePlan.IdSource.LITERAL, IdTemplate.parse("i-2"), "T.b");

    @Test
    void injectionsShareTheRequestsLeaseUntilItsStoreIsDroppedThenGetNone() {
        try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
                .executor(Runnable::run).build())) {
            RequestLeases request = new StoreRequestContext().leases();
            StoreLease<IssueSchema> lease = registry.retain(ISSUE, "i-1");
            request.hold(PLAN, lease);
            assertTrue(lease.isLive());
            assertSame(lease, request.leaseFor(PLAN));
            assertNull(request.leaseFor(OTHER), "another plan");

            registry.drop(ISSUE, "i-1");

            assertTrue(lease.isOpen(), "nobody closed the lease");
            assertFalse(lease.isLive(), "but its store is gone");
            assertNull(request.leaseFor(PLAN), "a later injection retains a fresh instance (R11)");
            request.release();
            assertFalse(lease.isOpen(), "the request's end releases it");
        }
    }

    @Test
    void aHandedOverLeaseIsNoLongerTheRequestsToRelease() {
        try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
                .executor(Runnable::run).build())) {
            RequestLeases request = new StoreRequestContext().leases();
            StoreLease<IssueSchema> streamed = registry.retain(ISSUE, "i-1");
            StoreLease<IssueSchema> other = registry.retain(ISSUE, "i-2");
            request.hold(PLAN, streamed);
            request.hold(OTHER, other);

            assertSame(streamed, request.handOver("issue", "i-1"));
            assertNull(request.leaseFor(PLAN), "no later injection of the request uses a lease it gave away");
            assertNull(request.handOver("issue", "i-1"), "handed over once");
            request.release();
            assertTrue(streamed.isOpen(), "its new owner releases it");
            assertFalse(other.isOpen(), "the rest ended with the request");
            streamed.close();
        }
    }

    @Test
    void aLeaseAnInjectionOwnsIsNeverHandedOver() {
        try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
                .executor(Runnable::run).build())) {
            RequestLeases request = new StoreRequestContext().leases();
            StoreLease<IssueSchema> owned = registry.retain(ISSUE, "i-1"); // an injection's own, its bean releases it
            request.hold(owned);
            assertNull(request.handOver("issue", "i-1"), "its bean's end would release it under the new owner");
            request.release();
            assertFalse(owned.isOpen());
        }
    }
}
