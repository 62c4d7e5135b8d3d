package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.internal.LocalLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Y1: the log rows Java commits write, in the file (read with a connection of the test's own). */
class LogFormatTest {

    @TempDir
    Path dir;

    /** A clock that moves one second each time it is read. */
    static final class SteppingClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis.addAndGet(1000)); }
    }

    @Test
    void javaCommitsFillEveryColumnOfTheLog() {
        StoreOpener<IssueSchema> opener = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir)).nodeIdentity(new NodeIdentity("node-a", "session-1"))
                .clock(new SteppingClock()).build();
        String backendId;
        try (Store<IssueSchema> store = opener.open("s1")) {
            store.commit(new IssueCreated("a", "A"));
            store.commit(new IssueCreated("b", "B"), new CommentAdded("a", "ann", "hi ✓"), new CommentAdded("b", "bo", null));
            store.commit(new IssueCreated("c", "C"));
            backendId = LocalLog.of(store).backendId();
            List<CommittedEvent> log = store.eventsSince(0);
            assertEquals("node-a", log.get(0).clientId());
            assertEquals("session-1", log.get(3).sessionId());
            assertEquals(Instant.parse("2026-12-01T10:00:02Z"), log.get(1).committedAt());
        }
        Path file = opener.databaseFile("s1").orElseThrow();
        List<Map<String, Object>> rows = LogFiles.rows(file, "SELECT * FROM __livestore_events ORDER BY seq_num");
        assertEquals(5, rows.size());
        long[] created = {1, 2, 2, 2, 3};
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            assertEquals((long) i + 1, ((Number) row.get("seq_num")).longValue());
            assertEquals((long) i, ((Number) row.get("parent_seq_num")).longValue());
            assertEquals("node-a", row.get("client_id"));
            assertEquals("session-1", row.get("session_id"));
            assertEquals(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(created[i]).toEpochMilli(),
                    ((Number) row.get("created_at")).longValue());
            assertEquals(7, UUID.fromString((String) row.get("event_id")).version());
        }
        assertEquals("{\"issueId\":\"a\",\"author\":\"ann\",\"text\":\"hi ✓\"}", rows.get(2).get("args"));
        assertEquals(5, new HashSet<>(rows.stream().map(r -> r.get("event_id")).toList()).size());
        assertEquals("2", LogFiles.meta(file, "format"));
        assertEquals(backendId, LogFiles.meta(file, "backend_id"));
        UUID.fromString(backendId);
    }

    @Test
    void theBackendIdIsMadeWhenTheStoreIsCreatedAndKept() {
        StoreOpener<IssueSchema> opener = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir)).build();
        String first;
        String other;
        try (Store<IssueSchema> store = opener.open("s1"); Store<IssueSchema> second = opener.open("s2")) {
            first = LocalLog.of(store).logHead().backendId();
            other = LocalLog.of(second).backendId();
            store.commit(new IssueCreated("a", "A"));
        }
        assertNotEquals(first, other);
        try (Store<IssueSchema> store = opener.open("s1")) {
            assertEquals(first, LocalLog.of(store).backendId());
            assertEquals(1, LocalLog.of(store).logHead().head());
        }
    }

    @Test
    void theDefaultNodeIdIsHostAndProcessAndTheSessionIsPerProcess() {
        String nodeId = NodeIdentity.defaultNodeId();
        assertTrue(nodeId.endsWith("-" + ProcessHandle.current().pid()), nodeId);
        assertTrue(StoreIds.isValidName(nodeId), nodeId);
        UUID.fromString(NodeIdentity.processSessionId());
        assertEquals(new NodeIdentity(nodeId, NodeIdentity.processSessionId()), NodeIdentity.ofThisProcess());
        assertEquals(NodeIdentity.ofThisProcess(), StoreSettings.builder("issue", CompiledSchema.of(IssueSchema.class))
                .build().nodeIdentity());
        try (Store<IssueSchema> store = StoreOpener.builder("issue", IssueSchema.class).build().open("m")) {
            store.commit(new IssueCreated("a", "A"));
            assertEquals(nodeId, store.eventsSince(0).get(0).clientId());
            assertEquals(NodeIdentity.processSessionId(), store.eventsSince(0).get(0).sessionId());
        }
    }

    @Test
    void aNodeIdMustBeAName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.builder("issue", CompiledSchema.of(IssueSchema.class)).nodeId("node a"));
        assertTrue(e.getMessage().contains("nodeId 'node a'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NodeIdentity("node-a", ""));
        assertEquals("node-b", StoreSettings.builder("issue", CompiledSchema.of(IssueSchema.class)).nodeId("node-b")
                .build().withStorage(StoreStorage.inMemory()).nodeIdentity().nodeId());
    }
}
