package io.livestore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livestore.store.IssueSchema;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import io.livestore.sync.InMemoryUpstream;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry options of cluster mode: defaults, checks, and what reaches the definitions' openers. */
class ClusterOptionsTest {

    @Test
    void singleNodeByDefault() {
        RegistryOptions o = RegistryOptions.defaults();
        assertEquals(Optional.empty(), o.upstream());
        assertEquals(Optional.empty(), o.nodeIdentity());
        assertEquals(RegistryOptions.DEFAULT_UPSTREAM_CHECK_INTERVAL, o.upstreamCheckInterval());
        assertEquals(Duration.ofSeconds(30), o.upstreamCheckInterval());
        assertEquals(5, o.maxCommitAttempts());
    }

    @Test
    void clusterOptionsAreCheckedKeptByToBuilderAndReachTheOpeners() {
        try (InMemoryUpstream log = new InMemoryUpstream()) {
            RegistryOptions o = RegistryOptions.builder().storage(StoreStorage.inMemory()).upstream(log).nodeId("web-2")
                    .upstreamCheckInterval(Duration.ofSeconds(3)).maxCommitAttempts(7).build().toBuilder().build();
            assertEquals(Optional.of(log), o.upstream());
            assertEquals("web-2", o.nodeIdentity().orElseThrow().nodeId());
            assertEquals(Duration.ofSeconds(3), o.upstreamCheckInterval());
            StoreOpener<IssueSchema> opener = StoreDefinition.builder("issue", IssueSchema.class).build().openerFor(o);
            assertEquals(Optional.of(log), opener.settings().upstream());
            assertEquals(7, opener.settings().maxCommitAttempts());
            assertEquals("web-2", opener.settings().nodeIdentity().nodeId());
        }
        assertThrows(IllegalArgumentException.class, () -> RegistryOptions.builder().nodeId("bad id"));
        assertThrows(IllegalArgumentException.class, () -> RegistryOptions.builder().maxCommitAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> RegistryOptions.builder().upstreamCheckInterval(Duration.ZERO));
    }
}
