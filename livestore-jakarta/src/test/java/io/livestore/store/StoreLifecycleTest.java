package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 (reopen gives the same state; a schema change rebuilds from the log), boot hooks, S7 (close). */
class StoreLifecycleTest {

    @TempDir
    Path dir;

    /** IssueSchema with an extra column: a different hash, so existing stores rebuild. */
    static final class IssueSchemaV2 extends Schema {
        IssueSchemaV2() {
            table("CREATE TABLE issue (id TEXT PRIMARY KEY, title TEXT NOT NULL, title_length INTEGER NOT NULL)");
            table("CREATE INDEX issue_by_length ON issue (title_length)");
            table("CREATE VIEW long_issue AS SELECT id FROM issue WHERE title_length > 3");
            on(IssueCreated.class, (e, tx) -> tx.execute("INSERT INTO issue VALUES (?, ?, ?)", e.id(), e.title(), e.title().length()));
            on(IssueRenamed.class, (e, tx) -> tx.execute("UPDATE issue SET title = ?, title_length = ? WHERE id = ?",
                    e.title(), e.title().length(), e.id()));
            on(CommentAdded.class, (e, tx) -> { });
            on(IssueClosed.class, (e, tx) -> tx.execute("DELETE FROM issue WHERE id = ?", e.id()));
        }
    }

    record V2Row(String id, String title, int titleLength) { }

    private <S extends Schema> StoreOpener<S> opener(Class<S> schema) {
        return StoreOpener.builder("issue", schema).storage(StoreStorage.directory(dir)).build();
    }

    private static List<List<Object>> dump(Store<?> store, String table) {
        return store.query(Query.of(row -> {
            List<Object> values = new ArrayList<>();
            for (String c : List.of("id", "title", "closed", "version")) {
                values.add(row.getString(c));
            }
            return values;
        }, "SELECT * FROM " + table + " ORDER BY 1"));
    }

    private static void fill(Store<?> store, int issues) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < issues; i++) {
            batch.add(new IssueCreated("i" + i, "title " + i));
            batch.add(new CommentAdded("i" + i, "ann", i % 2 == 0 ? null : "c" + i));
            if (i % 3 == 0) {
                batch.add(new IssueRenamed("i" + i, "T" + i));
            }
            if (i % 5 == 0) {
                batch.add(new IssueClosed("i" + i));
            }
        }
        store.commit(batch);
    }

    @Test
    void reopeningGivesExactlyTheSameState() {
        List<List<Object>> issues;
        List<Long> counters;
        List<CommittedEvent> log;
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            fill(s, 50);
            s.commit(new IssueRenamed("i1", "after batch"));
            issues = dump(s, "issue");
            counters = s.query(Query.of(Long.class, "SELECT value FROM counter ORDER BY name"));
            log = s.eventsSince(0);
        }
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            assertEquals(BootReport.Outcome.OPENED, s.bootReport().outcome());
            assertEquals(0, s.bootReport().eventsReplayed());
            assertNull(s.bootReport().previousHash());
            assertEquals(log.size(), s.head());
            assertEquals(issues, dump(s, "issue"));
            assertEquals(counters, s.query(Query.of(Long.class, "SELECT value FROM counter ORDER BY name")));
            assertEquals(log, s.eventsSince(0));
            assertEquals(log.size() + 1, s.commit(new IssueCreated("new", "continues after reopen")));
        }
    }

    @Test
    void schemaChangeRebuildsTablesByReplayingTheLog() {
        long head;
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            fill(s, 20);
            head = s.head();
        }
        String oldHash = CompiledSchema.of(IssueSchema.class).hash();
        try (Store<IssueSchemaV2> s = opener(IssueSchemaV2.class).open("w1")) {
            BootReport report = s.bootReport();
            assertTrue(report.rebuilt());
            assertEquals(head, report.eventsReplayed());
            assertEquals(head, report.head());
            assertEquals(oldHash, report.previousHash());
            assertEquals(CompiledSchema.of(IssueSchemaV2.class).hash(), report.schemaHash());
            List<V2Row> rows = s.query(Query.of(V2Row.class, "SELECT * FROM issue ORDER BY id"));
            assertEquals(16, rows.size(), "closed issues are deleted by the v2 materializer");
            assertTrue(rows.contains(new V2Row("i3", "T3", 2)));
            assertTrue(rows.contains(new V2Row("i1", "title 1", 7)));
            assertEquals(rows.stream().filter(r -> r.titleLength() > 3).count(),
                    s.query(Query.of(String.class, "SELECT id FROM long_issue")).size(), "the view was recreated");
            assertThrows(QueryException.class, () -> s.query(Query.of(Long.class, "SELECT value FROM counter")),
                    "v1's tables are gone");
        }
        // Back to v1: rebuilt again, identical to a fresh replay.
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1");
             Store<IssueSchema> fresh = StoreOpener.builder("issue", IssueSchema.class).build().open("fresh")) {
            assertTrue(s.bootReport().rebuilt());
            fresh.commit(s.eventsSince(0).stream().map(CommittedEvent::event).toList());
            assertEquals(dump(fresh, "issue"), dump(s, "issue"));
        }
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            assertEquals(BootReport.Outcome.OPENED, s.bootReport().outcome(), "no second rebuild for the same hash");
        }
    }

    @Test
    void rebuildFailureLeavesTheStoreAsItWas() throws Exception {
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            fill(s, 10);
        }
        class Throwing extends Schema {
            Throwing() {
                table("CREATE TABLE issue (id TEXT PRIMARY KEY)");
                on(IssueCreated.class, (e, tx) -> tx.execute("INSERT INTO issue VALUES (?)", e.id()));
                on(CommentAdded.class, (e, tx) -> {
                    throw new IllegalStateException("boom at " + tx.seq());
                });
                on(IssueRenamed.class, (e, tx) -> { });
                on(IssueClosed.class, (e, tx) -> { });
            }
        }
        StoreOpener<Throwing> throwing = StoreOpener.builder("issue", CompiledSchema.of(new Throwing()))
                .storage(StoreStorage.directory(dir)).build();
        StoreRebuildException e = assertThrows(StoreRebuildException.class, () -> throwing.open("w1"));
        assertEquals("LIVESTORE-0142", e.messageId());
        assertTrue(e.getMessage().contains("failed at event 2 'v1.CommentAdded'"), e.getMessage());
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            assertEquals(BootReport.Outcome.OPENED, s.bootReport().outcome(), "old tables and hash untouched");
            assertEquals(10, s.query(Query.of(String.class, "SELECT id FROM issue")).size());
        }
    }

    @Test
    void eventNameNoLongerInSchemaFailsTheRebuildClearly() {
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            s.commit(new IssueCreated("a", "A"), new IssueClosed("a"));
        }
        class WithoutClosed extends Schema {
            WithoutClosed() {
                table("CREATE TABLE issue (id TEXT PRIMARY KEY)");
                on(IssueCreated.class, (e, tx) -> tx.execute("INSERT INTO issue VALUES (?)", e.id()));
            }
        }
        StoreRebuildException e = assertThrows(StoreRebuildException.class, () -> StoreOpener.builder("issue",
                CompiledSchema.of(new WithoutClosed())).storage(StoreStorage.directory(dir)).build().open("w1"));
        assertTrue(e.getMessage().contains("event 2 in the log is 'v1.IssueClosed', which schema"), e.getMessage());
    }

    @Test
    void cancelledRebuildLeavesNothingOpenAndTheNextOpenRebuilds() {
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            fill(s, 300);
        }
        AtomicInteger checks = new AtomicInteger();
        StoreOpener<IssueSchemaV2> v2 = StoreOpener.builder("issue", IssueSchemaV2.class)
                .storage(StoreStorage.directory(dir)).rebuildBatchSize(50).build();
        StoreLoadCancelledException e = assertThrows(StoreLoadCancelledException.class,
                () -> v2.open("w1", () -> checks.incrementAndGet() > 3));
        assertEquals("LIVESTORE-0141", e.messageId());
        assertTrue(checks.get() > 3, "checked between batches");
        // The file is not left locked or half-rebuilt.
        try (Store<IssueSchemaV2> s = v2.open("w1")) {
            assertTrue(s.bootReport().rebuilt());
            assertEquals(s.head(), s.bootReport().eventsReplayed());
        }
    }

    @Test
    void interruptedThreadCancelsTheOpen() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(StoreLoadCancelledException.class, () -> opener(IssueSchema.class).open("w1"));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        opener(IssueSchema.class).open("w1").close();
    }

    @Test
    void onBootRunsAfterOpenAndItsFailureClosesTheStore() {
        List<BootReport> reports = new ArrayList<>();
        StoreOpener<IssueSchema> seeding = StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(dir))
                .onBoot((store, report) -> {
                    reports.add(report);
                    if (report.outcome() == BootReport.Outcome.CREATED) {
                        store.commit(new IssueCreated("welcome", "Welcome"));
                    }
                }).build();
        try (Store<IssueSchema> s = seeding.open("w1")) {
            assertEquals(1, s.head());
        }
        seeding.open("w1").close();
        assertEquals(List.of(BootReport.Outcome.CREATED, BootReport.Outcome.OPENED), reports.stream().map(BootReport::outcome).toList());

        StoreOpener<IssueSchema> failing = StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(dir))
                .onBoot((store, report) -> {
                    throw new IllegalStateException("seed data missing");
                }).build();
        StoreOpenException e = assertThrows(StoreOpenException.class, () -> failing.open("w1"));
        assertTrue(e.getMessage().contains("onBoot hook failed: java.lang.IllegalStateException: seed data missing"), e.getMessage());
        opener(IssueSchema.class).open("w1").close(); // the failed open released the file
    }

    @Test
    void closedStoreRejectsCallsClearlyAndCloseIsIdempotent() {
        Store<IssueSchema> s = opener(IssueSchema.class).open("w1");
        s.commit(new IssueCreated("a", "A"));
        s.close();
        s.close();
        assertTrue(s.isClosed());
        assertEquals("w1", s.storeId());
        StoreClosedException e = assertThrows(StoreClosedException.class, () -> s.commit(new IssueCreated("b", "B")));
        assertEquals("LIVESTORE-0130", e.messageId());
        assertTrue(e.getMessage().contains("store 'w1' of definition 'issue' is closed"), e.getMessage());
        assertThrows(StoreClosedException.class, () -> s.query(Query.of(String.class, "SELECT id FROM issue")));
        assertThrows(StoreClosedException.class, () -> s.eventsSince(0));
        assertThrows(StoreClosedException.class, s::head);
        assertThrows(StoreClosedException.class, () -> s.subscribe(Query.of(String.class, "SELECT id FROM issue"), r -> { }));
    }

    @Test
    void aStoreIsOpenedExclusively() {
        try (Store<IssueSchema> s = opener(IssueSchema.class).open("w1")) {
            s.commit(new IssueCreated("a", "A"));
            StoreOpenException e = assertThrows(StoreOpenException.class, () -> opener(IssueSchema.class).open("w1"));
            assertTrue(e.getMessage().contains("locked by another process"), e.getMessage());
        }
        opener(IssueSchema.class).open("w1").close();
    }

    @Test
    void aFileCopiedToAnotherIdIsRefused() throws Exception {
        opener(IssueSchema.class).open("w1").close();
        Path from = opener(IssueSchema.class).databaseFile("w1").orElseThrow();
        Files.copy(from, opener(IssueSchema.class).databaseFile("w2").orElseThrow(), StandardCopyOption.REPLACE_EXISTING);
        StoreOpenException e = assertThrows(StoreOpenException.class, () -> opener(IssueSchema.class).open("w2"));
        assertTrue(e.getMessage().contains("the file belongs to store 'w1'"), e.getMessage());
    }

    @Test
    void aFileThatIsNotADatabaseIsAClearError() throws Exception {
        Path file = opener(IssueSchema.class).databaseFile("w1").orElseThrow();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "this is not sqlite, just some text that is long enough to have a header".repeat(20));
        StoreOpenException e = assertThrows(StoreOpenException.class, () -> opener(IssueSchema.class).open("w1"));
        assertTrue(e.getMessage().contains("not a SQLite database"), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), "no stack trace in the message");
    }

    @Test
    void inMemoryStoresStartEmptyEachTime() {
        StoreOpener<IssueSchema> memory = StoreOpener.builder("issue", IssueSchema.class).build();
        try (Store<IssueSchema> s = memory.open("m")) {
            s.commit(new IssueCreated("a", "A"));
        }
        try (Store<IssueSchema> s = memory.open("m")) {
            assertEquals(0, s.head());
            assertEquals(BootReport.Outcome.CREATED, s.bootReport().outcome());
        }
    }
}
