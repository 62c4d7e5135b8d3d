package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueCreated;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Typed queries: record mapping by column name, scalar columns, row mappers, value conversions. */
class QueryTest {

    enum Priority { LOW, HIGH }

    @EventName("v1.Everything")
    record Everything(String id, long count, int small, double ratio, boolean flag, Instant at, LocalDate day,
                      UUID uuid, BigDecimal amount, Priority priority, byte[] blob, @Nullable Long maybe) implements Event { }

    record EverythingRow(String id, long count, int small, double ratio, boolean flag, Instant at, LocalDate day,
                         UUID uuid, BigDecimal amount, Priority priority, byte[] blob, Long maybe) { }

    static final class TypesSchema extends Schema {
        TypesSchema() {
            table("CREATE TABLE everything (id TEXT PRIMARY KEY, count INTEGER, small INTEGER, ratio REAL, flag INTEGER, "
                    + "at INTEGER, day TEXT, uuid TEXT, amount TEXT, priority TEXT, blob BLOB, maybe INTEGER)");
            on(Everything.class, (e, tx) -> tx.execute("INSERT INTO everything VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    e.id(), e.count(), e.small(), e.ratio(), e.flag(), e.at(), e.day(), e.uuid(), e.amount(), e.priority(),
                    e.blob(), e.maybe()));
        }
    }

    final Store<IssueSchema> store = StoreOpener.builder("issue", IssueSchema.class).build().open("q1");

    @AfterEach
    void close() {
        store.close();
    }

    record Snake(String issueId, String author) { }

    @Test
    void recordsMapByColumnNameInAnyOrderIncludingSnakeCase() {
        store.commit(new IssueCreated("a", "A"), new CommentAdded("a", "ann", "x"));
        assertEquals(List.of(new Snake("a", "ann")), store.query(Query.of(Snake.class, "SELECT author, text, issue_id FROM comment")));
    }

    @Test
    void firstReturnsOptional() {
        store.commit(new IssueCreated("a", "A"));
        assertEquals(Optional.of("A"), store.query(Query.first(String.class, "SELECT title FROM issue WHERE id = ?", "a")));
        assertEquals(Optional.empty(), store.query(Query.first(String.class, "SELECT title FROM issue WHERE id = ?", "zz")));
    }

    @Test
    void rowMapperReadsColumnsByLabel() {
        store.commit(new IssueCreated("a", "A"));
        List<String> out = store.query(Query.of(row -> row.getString("id") + ":" + row.getString("t") + ":" + row.getBoolean("closed")
                + ":" + row.isNull("closed") + ":" + row.get("version", Long.class), "SELECT id, title AS t, closed, version FROM issue"));
        assertEquals(List.of("a:A:false:false:1"), out);
    }

    @Test
    void everySupportedTypeRoundTripsThroughParametersAndRecords() {
        try (Store<TypesSchema> s = StoreOpener.builder("types", TypesSchema.class).build().open("t")) {
            Everything e = new Everything("x", Long.MAX_VALUE, -7, 0.25, true, Instant.parse("2026-05-06T07:08:09.123Z"),
                    LocalDate.of(2026, 2, 28), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                    new BigDecimal("12345678901234567890.0001"), Priority.HIGH, new byte[] {1, 2, 3}, null);
            s.commit(e);
            EverythingRow row = s.query(Query.first(EverythingRow.class, "SELECT * FROM everything")).orElseThrow();
            assertEquals(e.id(), row.id());
            assertEquals(e.count(), row.count());
            assertEquals(e.small(), row.small());
            assertEquals(e.ratio(), row.ratio());
            assertEquals(e.flag(), row.flag());
            assertEquals(e.at(), row.at());
            assertEquals(e.day(), row.day());
            assertEquals(e.uuid(), row.uuid());
            assertEquals(e.amount(), row.amount());
            assertEquals(e.priority(), row.priority());
            assertArrayEquals(e.blob(), row.blob());
            assertEquals(null, row.maybe());
            // The event itself round-trips through the JSON log.
            Everything logged = (Everything) s.eventsSince(0).get(0).event();
            assertEquals(e.at(), logged.at());
            assertEquals(e.amount(), logged.amount());
            assertArrayEquals(e.blob(), logged.blob());
            // Parameters of every type work in queries too.
            assertEquals(List.of("x"), s.query(Query.of(String.class,
                    "SELECT id FROM everything WHERE at = ? AND day = ? AND uuid = ? AND priority = ? AND flag = ?",
                    e.at(), e.day(), e.uuid(), Priority.HIGH, true)));
        }
    }

    record Missing(String id, String nope) { }

    @Test
    void missingColumnNamesTheComponentAndTheColumnsThereAre() {
        store.commit(new IssueCreated("a", "A"));
        QueryException e = assertThrows(QueryException.class, () -> store.query(Query.of(Missing.class, "SELECT id, title FROM issue")));
        assertTrue(e.getMessage().contains("has no column for component 'nope' of record"), e.getMessage());
        assertTrue(e.getMessage().contains("title"), e.getMessage());
    }

    record Unsupported(Object thing) { }

    @Test
    void unsupportedRowTypesAreRejectedWhenTheQueryIsBuilt() {
        assertThrows(QueryException.class, () -> Query.of(Unsupported.class, "SELECT 1"));
        assertThrows(QueryException.class, () -> Query.of(Object.class, "SELECT 1"));
    }

    @Test
    void invalidSqlNamesStoreAndStatement() {
        QueryException e = assertThrows(QueryException.class, () -> store.query(Query.of(String.class, "SELEC nope")));
        assertTrue(e.getMessage().contains("store 'q1' (definition 'issue'): query 'SELEC nope' failed"), e.getMessage());
    }

    @Test
    void queriesCannotWrite() {
        store.commit(new IssueCreated("a", "A"));
        QueryException e = assertThrows(QueryException.class, () -> store.query(Query.of(String.class,
                "DELETE FROM issue RETURNING id")));
        assertTrue(e.getMessage().contains("writes to the database; tables change only through committed events"), e.getMessage());
        assertEquals(1, store.query(Query.of(String.class, "SELECT id FROM issue")).size());
    }

    @Test
    void resultsAreImmutableValues() {
        store.commit(new IssueCreated("a", "A"));
        List<String> ids = store.query(Query.of(String.class, "SELECT id FROM issue"));
        assertThrows(UnsupportedOperationException.class, () -> ids.add("b"));
        assertEquals(ids, store.query(Query.of(String.class, "SELECT id FROM issue")));
    }

    // ---------------------------------------------------------------- issue 9, defects 1 and 4

    @EventName("v1.PairAdded")
    record PairAdded(String first, String second) implements Event { }

    record Pair(String first, String second) { }

    static final class FirstSecond extends Schema {
        FirstSecond() {
            table("CREATE TABLE pair (first TEXT, second TEXT)");
            on(PairAdded.class, (e, tx) -> tx.execute("INSERT INTO pair (first, second) VALUES (?, ?)", e.first(), e.second()));
        }
    }

    static final class SecondFirst extends Schema {
        SecondFirst() {
            table("CREATE TABLE pair (second TEXT, first TEXT)");
            on(PairAdded.class, (e, tx) -> tx.execute("INSERT INTO pair (first, second) VALUES (?, ?)", e.first(), e.second()));
        }
    }

    @Test
    void oneRecordTypeAndSqlMapEachStoreByItsOwnColumns() {
        try (Store<FirstSecond> a = StoreOpener.builder("fs", FirstSecond.class).build().open("a");
             Store<SecondFirst> b = StoreOpener.builder("sf", SecondFirst.class).build().open("b")) {
            a.commit(new PairAdded("1", "2"));
            b.commit(new PairAdded("1", "2"));
            Query<List<Pair>> all = Query.of(Pair.class, "SELECT * FROM pair");
            assertEquals(List.of(new Pair("1", "2")), a.query(all));
            assertEquals(List.of(new Pair("1", "2")), b.query(all), "the second store orders its columns the other way");
            assertEquals(Optional.of(new Pair("1", "2")), b.query(Query.first(Pair.class, "SELECT * FROM pair")));
            assertEquals(Optional.of(new Pair("1", "2")), a.query(Query.first(Pair.class, "SELECT * FROM pair")));
        }
    }

    @Test
    void pragmasAreRefusedAndTheStoreStaysInWalMode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        StoreOpener<IssueSchema> opener = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir)).build();
        java.nio.file.Path wal = java.nio.file.Path.of(opener.databaseFile("wal").orElseThrow() + "-wal");
        try (Store<IssueSchema> file = opener.open("wal")) {
            for (String sql : List.of("PRAGMA journal_mode = DELETE", "  -- settings\n pragma journal_mode = DELETE",
                    "/* x */ PRAGMA synchronous = OFF", "ATTACH DATABASE ':memory:' AS other", "BEGIN", "VACUUM")) {
                QueryException e = assertThrows(QueryException.class, () -> file.query(Query.of(String.class, sql)), sql);
                assertEquals(QueryException.ID, e.messageId());
                assertTrue(e.getMessage().contains("store 'wal' (definition 'issue'): query '" + sql + "' is not a read"),
                        e.getMessage());
            }
            assertEquals(1, file.commit(new IssueCreated("a", "A")));
            assertTrue(java.nio.file.Files.exists(wal), "still in WAL mode: the commit went to " + wal);
            assertEquals(List.of("A"), file.query(Query.of(String.class, "SELECT title FROM issue")));
        }
    }

    @Test
    void severalStatementsInOneQueryAreRefused() {
        store.commit(new IssueCreated("a", "A"));
        for (String sql : List.of("SELECT id FROM issue; SELECT title FROM issue", "SELECT id FROM issue;DELETE FROM issue",
                "SELECT id FROM issue ; ; -- c\n PRAGMA journal_mode = DELETE")) {
            QueryException e = assertThrows(QueryException.class, () -> store.query(Query.of(String.class, sql)), sql);
            assertEquals(QueryException.ID, e.messageId());
            assertTrue(e.getMessage().contains("store 'q1' (definition 'issue'): query '" + sql + "' holds several statements"),
                    e.getMessage());
        }
        // One statement, whatever its semicolons in literals, identifiers and comments, or trailing ones.
        assertEquals(List.of("a"), store.query(Query.of(String.class, "SELECT id FROM issue;")));
        assertEquals(List.of("a"), store.query(Query.of(String.class, "SELECT id FROM issue ; -- done;\n ;  /* ; */ ")));
        assertEquals(List.of("a;b"), store.query(Query.of(String.class, "SELECT 'a;b' AS \"x;y\" FROM issue")));
        assertEquals(1, store.query(Query.of(String.class, "SELECT id FROM issue")).size(), "nothing was deleted");
    }
}
