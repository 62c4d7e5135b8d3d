package io.livestore.cdi;

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

/** The request's leases that its injections share. */
class StoreRequestContextTest {

    private static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();

    @Test
    void injectionsShareTheRequestsLeaseUntilItsStoreIsDroppedThenGetNone() {
        try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
                .executor(Runnable::run).build())) {
            StoreRequestContext request = new StoreRequestContext();
            StoreLease<IssueSchema> lease = registry.retain(ISSUE, "i-1");
            request.holdForInjections(lease);
            assertTrue(lease.isLive());
            assertSame(lease, request.leaseForInjections("issue", "i-1"));
            assertNull(request.leaseForInjections("issue", "i-2"), "another store");

            registry.drop(ISSUE, "i-1");

            assertTrue(lease.isOpen(), "nobody closed the lease");
            assertFalse(lease.isLive(), "but its store is gone");
            assertNull(request.leaseForInjections("issue", "i-1"), "a later injection retains a fresh instance (R11)");
            request.release();
            assertFalse(lease.isOpen(), "the request's end releases it");
        }
    }
}
