package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.LogEvent;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit path of Y3 at the store layer: a store opened with an upstream commits through it. */
class UpstreamCommitPathTest {

    static final CompiledSchema<IssueSchema> SCHEMA = CompiledSchema.of(IssueSchema.class);

    @Test
    void settingsCarryTheUpstreamAndCheckTheAttempts() {
        StoreSettings<IssueSchema> plain = StoreSettings.builder("issue", SCHEMA).build();
        assertEquals(Optional.empty(), plain.upstream(), "single-node mode by default");
        assertEquals(StoreSettings.DEFAULT_MAX_COMMIT_ATTEMPTS, plain.maxCommitAttempts());
        try (InMemoryUpstream log = new InMemoryUpstream()) {
            StoreSettings<IssueSchema> cluster = plain.withUpstream(log, 2);
            assertEquals(Optional.of(log), cluster.upstream());
            assertEquals(2, cluster.maxCommitAttempts());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.withUpstream(log, 0));
            assertEquals("definition 'issue': maxCommitAttempts must be >= 1, was 0", e.getMessage());
        }
    }

    @Test
    void aCommitIsInTheUpstreamLogWhenAcknowledgedAndTheLocalLogTakesTheLogsIdentity(@TempDir Path dir) {
        try (InMemoryUpstream log = new InMemoryUpstream();
             Store<IssueSchema> store = StoreOpener.of(StoreSettings.builder("issue", SCHEMA)
                     .storage(StoreStorage.directory(dir)).nodeId("web-1").upstream(log).build()).open("s")) {
            List<String> seen = new ArrayList<>();
            store.subscribe(Query.of(String.class, "SELECT id FROM issue ORDER BY id"), r -> seen.add(r.toString()));
            assertEquals(2, store.commit(new IssueCreated("a", "A"), new IssueCreated("b", "B")));
            List<LogEvent> upstream = log.pull("s", 0, 10);
            assertEquals(upstream, LocalLog.of(store).logEventsAfter(0, 10), "the same events, ids and times");
            assertEquals("web-1", upstream.get(0).clientId());
            assertEquals(log.head("s").orElseThrow(), LocalLog.of(store).logHead(), "the log's backendId adopted");
            assertEquals(List.of("[]", "[a, b]"), seen, "one notification per accepted change");

            log.reachable(false);
            UpstreamUnavailableException e = assertThrows(UpstreamUnavailableException.class,
                    () -> store.commit(new IssueCreated("c", "C")));
            assertTrue(e.getMessage().contains("store 's'"), e.getMessage());
            assertEquals(2, store.head(), "rolled back: nothing acknowledged, nothing written");
            assertEquals(List.of("[]", "[a, b]"), seen, "no notification for a rolled-back try");
            log.reachable(true);
            assertEquals(3, store.commit(new IssueCreated("c", "C")));
        }
    }
}
