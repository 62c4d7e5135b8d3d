package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import io.livestore.store.IssueSchema.IssueRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S1 (atomic commit, store stays usable) and S2 (validation before any write). */
class StoreCommitTest {

    @EventName("v1.NotInSchema")
    record Stranger(String id) implements Event { }

    @TempDir
    Path dir;
    Store<IssueSchema> store;

    @BeforeEach
    void open() {
        store = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir))
                .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC))
                .build().open("issue-1");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<IssueRow> issues() {
        return store.query(Query.of(IssueRow.class, "SELECT * FROM issue ORDER BY id"));
    }

    @Test
    void commitAppendsToLogAndTablesAndReturnsHead() {
        assertEquals(0, store.head());
        assertEquals(1, store.commit(new IssueCreated("a", "First")));
        assertEquals(3, store.commit(new IssueCreated("b", "Second"), new IssueRenamed("a", "First!")));
        assertEquals(3, store.head());
        assertEquals(List.of(new IssueRow("a", "First!", false, 3), new IssueRow("b", "Second", false, 2)), issues());
        List<CommittedEvent> log = store.eventsSince(0);
        assertEquals(List.of(1L, 2L, 3L), log.stream().map(CommittedEvent::seq).toList());
        assertEquals(new IssueRenamed("a", "First!"), log.get(2).event());
        assertEquals("v1.IssueRenamed", log.get(2).name());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), log.get(0).committedAt());
        assertEquals(List.of(log.get(2)), store.eventsSince(2));
        assertEquals(List.of(log.get(1)), store.eventsSince(1, 1));
    }

    @Test
    void emptyCommitChangesNothing() {
        store.commit(new IssueCreated("a", "A"));
        assertEquals(1, store.commit());
        assertEquals(1, store.commit(List.of()));
    }

    @Test
    void materializerFailureRollsBackTheWholeBatchAndStoreStaysUsable() {
        store.commit(new IssueCreated("a", "A"));
        MaterializerException e = assertThrows(MaterializerException.class, () -> store.commit(
                new IssueCreated("b", "B"), new CommentAdded("a", "ann", "hi"), new IssueRenamed("missing", "X")));
        assertEquals(MaterializerException.ID, e.messageId());
        assertTrue(e.getMessage().startsWith("LIVESTORE-0122: store 'issue-1' (definition 'issue'): materializer for event #2 v1.IssueRenamed (seq 4)"),
                e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        // Nothing of the failed commit anywhere: log, issue table, comment table, counters.
        assertEquals(1, store.head());
        assertEquals(1, store.eventsSince(0).size());
        assertEquals(List.of(new IssueRow("a", "A", false, 1)), issues());
        assertEquals(List.of(), store.query(Query.of(String.class, "SELECT text FROM comment")));
        assertEquals(List.of(1L), store.query(Query.of(Long.class, "SELECT value FROM counter WHERE name = 'issues'")));
        // Still usable, and the next seq continues without a gap.
        assertEquals(2, store.commit(new IssueCreated("b", "B")));
        assertEquals(List.of(1L, 2L), store.eventsSince(0).stream().map(CommittedEvent::seq).toList());
    }

    @Test
    void sqlErrorInsideMaterializerIsAMaterializerFailureNamingTheStatement() {
        store.commit(new IssueCreated("a", "A"));
        // Duplicate primary key: the INSERT itself fails.
        MaterializerException e = assertThrows(MaterializerException.class, () -> store.commit(new IssueCreated("a", "again")));
        assertInstanceOf(QueryException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("INSERT INTO issue"), e.getCause().getMessage());
        assertEquals(1, store.head());
    }

    @Test
    void unknownEventTypeIsRejectedBeforeAnythingIsWritten() {
        UnknownEventException e = assertThrows(UnknownEventException.class,
                () -> store.commit(new IssueCreated("a", "A"), new Stranger("x")));
        assertEquals("LIVESTORE-0120", e.messageId());
        assertTrue(e.getMessage().contains("event #1 of type " + Stranger.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("store 'issue-1'"), e.getMessage());
        assertTrue(e.getMessage().contains("v1.IssueCreated"), "lists the declared events: " + e.getMessage());
        assertEquals(0, store.head());
        assertEquals(List.of(), issues());
    }

    @Test
    void nullInRequiredComponentIsRejectedNamingTheComponent() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> store.commit(new IssueCreated("a", "A"), new IssueCreated("b", null)));
        assertEquals("LIVESTORE-0121", e.messageId());
        assertTrue(e.getMessage().contains("event #1 v1.IssueCreated has null in required component 'title'"), e.getMessage());
        assertTrue(e.getMessage().contains("store 'issue-1'"), e.getMessage());
        assertEquals(0, store.head());
        assertEquals(List.of(), issues());
    }

    @Test
    void nullableComponentAcceptsNull() {
        store.commit(new IssueCreated("a", "A"), new CommentAdded("a", "ann", null));
        assertEquals(2, store.head());
        assertEquals(new CommentAdded("a", "ann", null), store.eventsSince(1).get(0).event());
    }

    @Test
    void nullEventIsRejected() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> store.commit(new IssueCreated("a", "A"), null));
        assertTrue(e.getMessage().contains("event #1 is null"), e.getMessage());
        assertEquals(0, store.head());
    }

    @Test
    void transactionHandleIsUnusableAfterItsMaterializer() {
        Transaction[] leaked = new Transaction[1];
        class LeakSchema extends Schema {
            LeakSchema() {
                table("CREATE TABLE t (x TEXT)");
                on(IssueClosed.class, (e, tx) -> leaked[0] = tx);
            }
        }
        try (Store<LeakSchema> s = StoreOpener.builder("leak", CompiledSchema.of(new LeakSchema())).build().open("x")) {
            s.commit(new IssueClosed("a"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked[0].execute("INSERT INTO t VALUES ('x')"));
            assertTrue(e.getMessage().contains("valid only during its materializer call"), e.getMessage());
        }
    }

    @Test
    void commitFromInsideAMaterializerIsRefused() {
        @SuppressWarnings("unchecked")
        Store<Schema>[] self = new Store[1];
        class Reentrant extends Schema {
            Reentrant() {
                table("CREATE TABLE t (x TEXT)");
                on(IssueClosed.class, (e, tx) -> self[0].commit(new IssueClosed("again")));
            }
        }
        try (Store<Reentrant> s = StoreOpener.builder("re", CompiledSchema.of(new Reentrant())).build().open("x")) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Store<Schema> raw = (Store) s;
            self[0] = raw;
            MaterializerException e = assertThrows(MaterializerException.class, () -> s.commit(new IssueClosed("a")));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals(0, s.head());
        }
    }

    @Test
    void parametersOfUnsupportedTypeAreAClearError() {
        class BadParam extends Schema {
            BadParam() {
                table("CREATE TABLE t (x TEXT)");
                on(IssueClosed.class, (e, tx) -> tx.execute("INSERT INTO t VALUES (?)", new Object()));
            }
        }
        try (Store<BadParam> s = StoreOpener.builder("bad", CompiledSchema.of(new BadParam())).build().open("x")) {
            MaterializerException e = assertThrows(MaterializerException.class, () -> s.commit(new IssueClosed("a")));
            assertTrue(e.getCause().getMessage().contains("parameter 1 has unsupported type java.lang.Object"), e.getCause().getMessage());
        }
    }

    @Test
    void wrongParameterCountIsAClearError() {
        class Miscount extends Schema {
            Miscount() {
                table("CREATE TABLE t (x TEXT, y TEXT)");
                on(IssueClosed.class, (e, tx) -> tx.execute("INSERT INTO t VALUES (?, ?)", e.id()));
            }
        }
        try (Store<Miscount> s = StoreOpener.builder("bad", CompiledSchema.of(new Miscount())).build().open("x")) {
            MaterializerException e = assertThrows(MaterializerException.class, () -> s.commit(new IssueClosed("a")));
            assertTrue(e.getCause().getMessage().contains("has 2 parameter(s) but 1 value(s) were given"), e.getCause().getMessage());
        }
    }

    // ---------------------------------------------------------------- issue 9, defects 5 and 9

    @Test
    void aLoneSurrogateIsRefusedNamingEventComponentAndStore() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> store.commit(new IssueCreated("a", "A"), new IssueCreated("b", "broken \uD83D here")));
        assertEquals(InvalidEventException.ID, e.messageId());
        assertTrue(e.getMessage().contains("store 'issue-1' (definition 'issue'): event #1 v1.IssueCreated has text in "
                + "component 'title' with a lone UTF-16 surrogate"), e.getMessage());
        assertEquals("issue-1", e.storeId());
        assertEquals(0, store.head());
        assertThrows(InvalidEventException.class, () -> store.commit(new CommentAdded("a", "ann", "\uDE00")));
        // A complete pair is kept exactly, in the log and in the tables.
        store.commit(new IssueCreated("c", "smile \uD83D\uDE00"));
        assertEquals(List.of("smile \uD83D\uDE00"), store.query(Query.of(String.class, "SELECT title FROM issue")));
        assertEquals(new IssueCreated("c", "smile \uD83D\uDE00"), store.eventsSince(0).get(0).event());
    }

    @Test
    void aRejectedEventsDetailSaysWhatWasWrongWithoutSqlOrClassNames() {
        store.commit(new IssueCreated("a", "A"));
        MaterializerException duplicate = assertThrows(MaterializerException.class, () -> store.commit(new IssueCreated("a", "again")));
        assertEquals("store 'issue-1' (definition 'issue'): materializer for event #0 v1.IssueCreated (seq 2) failed: "
                + "a UNIQUE constraint of table 'issue' refused it; the commit of 1 event(s) was rolled back", duplicate.detail());
        assertTrue(duplicate.getCause().getMessage().contains("INSERT INTO issue"), "the cause keeps the technical text");

        MaterializerException thrown = assertThrows(MaterializerException.class, () -> store.commit(new IssueRenamed("zz", "x")));
        assertTrue(thrown.detail().endsWith("(seq 2) failed: it threw an exception; the commit of 1 event(s) was rolled back"),
                thrown.detail());
        for (MaterializerException e : List.of(duplicate, thrown)) {
            for (String leak : List.of("INSERT", "UPDATE", "SQLITE", "Exception:", "java.", "io.livestore")) {
                assertFalse(e.detail().contains(leak), leak + " in " + e.detail());
            }
        }
    }

    @Test
    void aMaterializerStatementWithSeveralStatementsIsRefusedNotHalfRun() {
        class TwoInOne extends Schema {
            TwoInOne() {
                table("CREATE TABLE t (x TEXT)");
                on(IssueClosed.class, (e, tx) -> tx.execute("INSERT INTO t VALUES ('1'); INSERT INTO t VALUES ('2')"));
            }
        }
        try (Store<TwoInOne> s = StoreOpener.builder("two", CompiledSchema.of(new TwoInOne())).build().open("x")) {
            MaterializerException e = assertThrows(MaterializerException.class, () -> s.commit(new IssueClosed("a")));
            assertTrue(e.getCause().getMessage().contains("holds several statements, and only the first would run"),
                    e.getCause().getMessage());
            assertEquals(List.of(), s.query(Query.of(String.class, "SELECT x FROM t")));
            assertEquals(0, s.head());
        }
    }
}
