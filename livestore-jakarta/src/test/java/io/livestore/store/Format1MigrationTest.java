package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import io.livestore.store.IssueSchema.IssueRow;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.LogEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Y1: a store file written by format 1 (the committed fixture) opens with format 2, migrated in place, once. */
class Format1MigrationTest {

    static final String TITLE_2 = "Zweites Problem: Größe ü ß — “quotes” 日本語 🚀";
    static final String COMMENT = "a comment with \"quotes\", \\backslash and\nnewline";
    static final String MIGRATED = "livestore-format-1";

    @TempDir
    Path dir;

    private StoreOpener<IssueSchema> opener() {
        return StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(dir))
                .nodeId("node-a").clock(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC)).build();
    }

    @Test
    void aFormat1FileOpensWithItsEventsTablesAndHeadAndTakesNewCommits() {
        Path file = LogFiles.copyFormat1Fixture("fixture-1", dir);
        assertEquals("1", LogFiles.meta(file, "format"));
        try (Store<IssueSchema> store = opener().open("fixture-1")) {
            // The fixture's schema hash is the current one: the tables are kept, not replayed.
            assertEquals(BootReport.Outcome.OPENED, store.bootReport().outcome());
            assertEquals(6, store.head());
            List<CommittedEvent> log = store.eventsSince(0);
            assertEquals(List.of(new IssueCreated("i1", "First issue"), new IssueCreated("i2", TITLE_2),
                    new CommentAdded("i2", "jörg", COMMENT), new CommentAdded("i1", "ann", null),
                    new IssueRenamed("i1", "First issue (renamed) ✓"), new IssueClosed("i2")),
                    log.stream().map(CommittedEvent::event).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), log.stream().map(CommittedEvent::seq).toList());
            Instant t0 = Instant.parse("2026-11-30T12:00:00Z");
            assertEquals(List.of(t0.plusSeconds(1), t0.plusSeconds(2), t0.plusSeconds(2), t0.plusSeconds(2),
                    t0.plusSeconds(3), t0.plusSeconds(4)), log.stream().map(CommittedEvent::committedAt).toList());
            for (CommittedEvent e : log) {
                assertEquals(MIGRATED, e.clientId());
                assertEquals(MIGRATED, e.sessionId());
            }
            assertEquals(6, new HashSet<>(log.stream().map(CommittedEvent::eventId).toList()).size());
            assertEquals(List.of(new IssueRow("i1", "First issue (renamed) ✓", false, 5), new IssueRow("i2", TITLE_2, true, 6)),
                    store.query(Query.of(IssueRow.class, "SELECT * FROM issue ORDER BY id")));
            assertEquals(List.of(97L, 33L), store.query(Query.of(Long.class, "SELECT value FROM counter ORDER BY name")));

            LocalLog local = LocalLog.of(store);
            UUID.fromString(local.backendId()); // a UUID
            assertEquals(6, local.logHead().head());
            LogEvent second = local.logEventsAfter(1, 1).get(0);
            // args are the format-1 payload, unchanged
            assertEquals("{\"id\":\"i2\",\"title\":\"" + TITLE_2 + "\"}", second.args());

            assertEquals(7, store.commit(new CommentAdded("i1", "bob", "after the migration")));
            CommittedEvent seventh = store.eventsSince(6).get(0);
            assertEquals("node-a", seventh.clientId());
            assertEquals(NodeIdentity.processSessionId(), seventh.sessionId());
            assertEquals(Instant.parse("2026-12-01T00:00:00Z"), seventh.committedAt());
        }
        assertEquals("2", LogFiles.meta(file, "format"));
        List<Map<String, Object>> rows = LogFiles.rows(file, "SELECT * FROM __livestore_events ORDER BY seq_num");
        assertEquals(7, rows.size());
        assertEquals(List.of("seq_num", "parent_seq_num", "name", "args", "client_id", "session_id", "created_at", "event_id"),
                List.copyOf(rows.get(0).keySet()));
        for (Map<String, Object> row : rows) {
            assertEquals(((Number) row.get("seq_num")).longValue() - 1, ((Number) row.get("parent_seq_num")).longValue());
        }
        assertEquals(List.of(), LogFiles.rows(file, "SELECT name FROM sqlite_schema WHERE name LIKE '%format1%'"));
    }

    @Test
    void aSecondOpenDoesNotMigrateAgain() {
        Path file = LogFiles.copyFormat1Fixture("fixture-1", dir);
        String backendId;
        List<String> ids;
        try (Store<IssueSchema> store = opener().open("fixture-1")) {
            backendId = LocalLog.of(store).backendId();
            ids = store.eventsSince(0).stream().map(CommittedEvent::eventId).toList();
        }
        try (Store<IssueSchema> store = opener().open("fixture-1")) {
            // A second migration would have drawn a new backendId.
            assertEquals(backendId, LocalLog.of(store).backendId());
            assertEquals(ids, store.eventsSince(0).stream().map(CommittedEvent::eventId).toList());
            assertEquals(BootReport.Outcome.OPENED, store.bootReport().outcome());
            assertEquals(6, store.head());
        }
        assertEquals(backendId, LogFiles.meta(file, "backend_id"));
    }

    @Test
    void migratedEventIdsAreDeterministic() {
        LogFiles.copyFormat1Fixture("fixture-1", dir);
        List<String> first;
        try (Store<IssueSchema> store = opener().open("fixture-1")) {
            first = store.eventsSince(0).stream().map(CommittedEvent::eventId).toList();
        }
        LogFiles.copyFormat1Fixture("fixture-1", dir); // the original again
        try (Store<IssueSchema> store = opener().open("fixture-1")) {
            assertEquals(first, store.eventsSince(0).stream().map(CommittedEvent::eventId).toList());
        }
    }

    @Test
    void anEmptyFormat1StoreMigrates() {
        Path file = LogFiles.copyFormat1Fixture("empty-1", dir);
        try (Store<IssueSchema> store = opener().open("empty-1")) {
            assertEquals(0, store.head());
            assertEquals(1, store.commit(new IssueCreated("x", "X")));
        }
        assertEquals("2", LogFiles.meta(file, "format"));
    }

    @Test
    void aCancelledMigrationLeavesTheFileAsItWas() throws Exception {
        Path file = LogFiles.copyFormat1Fixture("fixture-1", dir);
        byte[] before = Files.readAllBytes(file);
        // The first check is before the boot transaction begins; the next one is after the log was copied.
        AtomicInteger checks = new AtomicInteger();
        CancellationSignal cancelAfterCopy = () -> checks.incrementAndGet() > 1;
        assertThrows(StoreLoadCancelledException.class, () -> opener().open("fixture-1", cancelAfterCopy));
        assertTrue(checks.get() > 1, "the migration checked for cancellation");
        assertEquals("1", LogFiles.meta(file, "format"));
        assertEquals(6, LogFiles.rows(file, "SELECT seq, payload FROM __livestore_events").size());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Store<IssueSchema> store = opener().open("fixture-1")) {
            assertEquals(6, store.head());
        }
    }

    /** The same events, but a materializer that fails on renames and another table: opening must rebuild, and fails. */
    public static final class FailingRebuildSchema extends Schema {
        public FailingRebuildSchema() {
            table("CREATE TABLE issue_title (id TEXT PRIMARY KEY, title TEXT NOT NULL)");
            on(IssueCreated.class, (e, tx) -> tx.execute("INSERT INTO issue_title VALUES (?, ?)", e.id(), e.title()));
            on(IssueRenamed.class, (e, tx) -> {
                throw new IllegalStateException("refusing renames");
            });
            on(CommentAdded.class, (e, tx) -> { });
            on(IssueClosed.class, (e, tx) -> { });
        }
    }

    @Test
    void aMigrationWhoseBootFailsLaterLeavesTheFileAsItWas() throws Exception {
        Path file = LogFiles.copyFormat1Fixture("fixture-1", dir);
        byte[] before = Files.readAllBytes(file);
        StoreOpener<FailingRebuildSchema> failing = StoreOpener.builder("issue", FailingRebuildSchema.class)
                .storage(StoreStorage.directory(dir)).build();
        StoreRebuildException e = assertThrows(StoreRebuildException.class, () -> failing.open("fixture-1"));
        assertTrue(e.getMessage().contains("event 5 'v1.IssueRenamed'"), e.getMessage());
        assertEquals("1", LogFiles.meta(file, "format"));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Store<IssueSchema> store = opener().open("fixture-1")) {
            assertEquals(6, store.head());
            assertEquals(2, store.query(Query.of(IssueRow.class, "SELECT * FROM issue")).size());
        }
    }

    @Test
    void aFileOfANewerFormatIsRefusedClearly() throws Exception {
        Path file = LogFiles.copyFormat1Fixture("fixture-1", dir);
        try (var c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, new java.util.Properties());
             var st = c.createStatement()) {
            st.execute("UPDATE __livestore_meta SET value = '3' WHERE key = 'format'");
        }
        StoreOpenException e = assertThrows(StoreOpenException.class, () -> opener().open("fixture-1"));
        assertTrue(e.getMessage().contains("format 3") && e.getMessage().contains("formats 1 to 2"), e.getMessage());
        assertEquals("3", LogFiles.meta(file, "format"));
    }

    @Test
    void aFormat1LogWithAGapIsRefusedAndLeftAsItWas() throws Exception {
        Path file = LogFiles.copyFormat1Fixture("fixture-1", dir);
        try (var c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, new java.util.Properties());
             var st = c.createStatement()) {
            st.execute("DELETE FROM __livestore_events WHERE seq = 3");
        }
        StoreOpenException e = assertThrows(StoreOpenException.class, () -> opener().open("fixture-1"));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertEquals("1", LogFiles.meta(file, "format"));
        assertNotEquals(0, LogFiles.rows(file, "SELECT 1 FROM __livestore_events").size());
    }
}
