package io.livestore.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.BootReport;
import io.livestore.store.CommitFailedException;
import io.livestore.store.CommittedEvent;
import io.livestore.store.InvalidEventException;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import io.livestore.store.IssueSchema.IssueRow;
import io.livestore.store.LogFiles;
import io.livestore.store.MaterializerException;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import io.livestore.store.Subscription;
import io.livestore.store.UnknownEventException;
import io.livestore.store.spi.LogEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store's log in the SPI shape: read after a cursor, apply events from an upstream log, adopt its backendId. */
class LocalLogTest {

    static final Instant T = Instant.parse("2026-11-01T08:00:00.123Z");

    @TempDir
    Path dir;
    StoreOpener<IssueSchema> opener;
    Store<IssueSchema> store;
    LocalLog log;

    @BeforeEach
    void open() {
        opener = StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(dir)).nodeId("here").build();
        store = opener.open("s1");
        log = LocalLog.of(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static LogEvent event(long seq, String name, String args) {
        return new LogEvent(seq, seq - 1, name, args, "client-x", "session-y", T.plusMillis(seq), "ev-" + seq);
    }

    private List<IssueRow> issues() {
        return store.query(Query.of(IssueRow.class, "SELECT * FROM issue ORDER BY id"));
    }

    /** Odd but valid JSON: whitespace, escapes, key order, a big number and a nested object the record does not have. */
    static final String ODD_ARGS = " {\n\t\"title\" : \"caf\\u00e9 \\ud83d\\ude80 \\\"q\\\" é\",  \"extra\": 123456789012345678901234567890.5e3,"
            + " \"id\":\"a\", \"nested\": {\"z\": [1, 2.50, -0.0], \"a\": null}  }  ";

    @Test
    void appliedArgsAreKeptByteForByteAndMaterialized() {
        List<LogEvent> events = List.of(event(1, "v1.IssueCreated", ODD_ARGS),
                event(2, "v1.CommentAdded", "{\"text\":null,\"author\":\"\\u004aörg\",\"issueId\":\"a\"}"));
        assertEquals(2, log.apply(events));
        assertEquals(events, log.logEventsAfter(0, 10));
        assertEquals(List.of(new IssueRow("a", "café 🚀 \"q\" é", false, 1)), issues());
        CommittedEvent second = store.eventsSince(1).get(0);
        assertEquals(new CommentAdded("a", "Jörg", null), second.event());
        assertEquals("client-x", second.clientId());
        assertEquals("session-y", second.sessionId());
        assertEquals("ev-2", second.eventId());
        assertEquals(T.plusMillis(2), second.committedAt());
        store.close();
        Path file = opener.databaseFile("s1").orElseThrow();
        // The bytes in the file are the args' UTF-8 bytes: SQLite's own hex of the column.
        Map<String, Object> row = LogFiles.rows(file, "SELECT hex(args) AS h FROM __livestore_events WHERE seq_num = 1").get(0);
        assertEquals(java.util.HexFormat.of().withUpperCase().formatHex(ODD_ARGS.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                row.get("h"));
        store = opener.open("s1");
        assertEquals(events, LocalLog.of(store).logEventsAfter(0, 10));
    }

    @Test
    void commitsAndAppliedEventsShareOneLog() {
        store.commit(new IssueCreated("a", "A"));
        assertEquals(2, log.apply(List.of(event(2, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":\"B\"}"))));
        assertEquals(3, store.commit(new IssueRenamed("a", "C")));
        List<LogEvent> all = log.logEventsAfter(0, 10);
        assertEquals(List.of(1L, 2L, 3L), all.stream().map(LogEvent::seqNum).toList());
        assertEquals(List.of("here", "client-x", "here"), all.stream().map(LogEvent::clientId).toList());
        assertEquals("{\"id\":\"a\",\"title\":\"A\"}", all.get(0).args());
        assertEquals(List.of(all.get(1)), log.logEventsAfter(1, 1));
        assertEquals(List.of(), log.logEventsAfter(3, 5));
        assertEquals(3, log.logHead().head());
        assertEquals(List.of(new IssueRow("a", "C", false, 3)), issues());
        assertThrows(IllegalArgumentException.class, () -> log.logEventsAfter(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> log.logEventsAfter(0, 0));
    }

    @Test
    void appliedEventsMustContinueAtTheHead() {
        store.commit(new IssueCreated("a", "A"));
        IllegalStateException behind = assertThrows(IllegalStateException.class,
                () -> log.apply(List.of(event(1, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":\"B\"}"))));
        assertTrue(behind.getMessage().contains("continue the local log at seqNum 2, the first has seqNum 1"), behind.getMessage());
        assertThrows(IllegalStateException.class,
                () -> log.apply(List.of(event(3, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":\"B\"}"))));
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class, () -> log.apply(List.of(
                event(2, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":\"B\"}"), event(4, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":\"C\"}"))));
        assertTrue(gap.getMessage().contains("event #1 has seqNum 4, expected 3"), gap.getMessage());
        assertEquals(1, store.head());
        assertEquals(List.of(new IssueRow("a", "A", false, 1)), issues());
        assertEquals(1, log.apply(List.of()));
    }

    @Test
    void anUnknownEventNameRefusesTheWholeBatchAndWritesNothing() {
        store.commit(new IssueCreated("a", "A"));
        UnknownEventException e = assertThrows(UnknownEventException.class, () -> log.apply(List.of(
                event(2, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":\"B\"}"), event(3, "v2.IssueArchived", "{\"id\":\"a\"}"))));
        assertTrue(e.getMessage().contains("store 's1'") && e.getMessage().contains("'v2.IssueArchived'")
                && e.getMessage().contains("nothing was written"), e.getMessage());
        assertEquals(UnknownEventException.ID, e.messageId());
        assertEquals(1, store.head());
        assertEquals(1, log.logEventsAfter(0, 10).size());
        assertEquals(List.of(new IssueRow("a", "A", false, 1)), issues());
    }

    @Test
    void badArgsAMaterializerFailureOrADuplicateEventIdWriteNothing() {
        store.commit(new IssueCreated("a", "A"));
        InvalidEventException bad = assertThrows(InvalidEventException.class,
                () -> log.apply(List.of(event(2, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":"))));
        assertTrue(bad.getMessage().contains("event 2 'v1.IssueRenamed' has args that are not a valid"), bad.getMessage());
        assertThrows(InvalidEventException.class, () -> log.apply(List.of(event(2, "v1.IssueRenamed", "{\"id\":\"a\"}"))));
        MaterializerException failed = assertThrows(MaterializerException.class, () -> log.apply(List.of(
                event(2, "v1.IssueCreated", "{\"id\":\"b\",\"title\":\"B\"}"), event(3, "v1.IssueRenamed", "{\"id\":\"zz\",\"title\":\"B\"}"))));
        assertTrue(failed.getMessage().contains("the 2 event(s) from the upstream log was rolled back"), failed.getMessage());
        String existingId = log.logEventsAfter(0, 1).get(0).eventId();
        LogEvent duplicate = new LogEvent(2, 1, "v1.IssueCreated", "{\"id\":\"b\",\"title\":\"B\"}", "c", "s", T, existingId);
        assertThrows(CommitFailedException.class, () -> log.apply(List.of(duplicate)));
        assertEquals(1, store.head());
        assertEquals(List.of(new IssueRow("a", "A", false, 1)), issues());
        assertEquals(2, log.apply(List.of(event(2, "v1.IssueCreated", "{\"id\":\"b\",\"title\":\"B\"}"))));
    }

    @Test
    void subscriptionsSeeAppliedEvents() {
        List<List<IssueRow>> seen = new ArrayList<>();
        try (Subscription s = store.subscribe(Query.of(IssueRow.class, "SELECT * FROM issue ORDER BY id"), seen::add)) {
            log.apply(List.of(event(1, "v1.IssueCreated", "{\"id\":\"a\",\"title\":\"A\"}"),
                    event(2, "v1.IssueRenamed", "{\"id\":\"a\",\"title\":\"B\"}")));
            log.apply(List.of(event(3, "v1.CommentAdded", "{\"issueId\":\"a\",\"author\":\"x\",\"text\":null}")));
        }
        // Initial result, then the state after the first batch; the comment does not change the issue table.
        assertEquals(List.of(List.of(), List.of(new IssueRow("a", "B", false, 2))), seen);
    }

    @Test
    void theAdoptedBackendIdIsKept() {
        String adopted = UUID.randomUUID().toString();
        store.commit(new IssueCreated("a", "A"));
        log.adoptBackendId(adopted);
        assertEquals(adopted, log.backendId());
        assertEquals(adopted, log.logHead().backendId());
        assertEquals(1, log.logHead().head());
        assertThrows(IllegalArgumentException.class, () -> log.adoptBackendId("not a name"));
        store.close();
        store = opener.open("s1");
        assertEquals(adopted, LocalLog.of(store).backendId());
    }

    /** IssueSchema with one more table: another schema hash, so opening rebuilds. */
    public static final class IssueSchemaV2 extends Schema {
        public IssueSchemaV2() {
            table("CREATE TABLE title_log (seq INTEGER PRIMARY KEY, title TEXT NOT NULL)");
            on(IssueCreated.class, (e, tx) -> tx.execute("INSERT INTO title_log VALUES (?, ?)", tx.seq(), e.title()));
            on(IssueRenamed.class, (e, tx) -> tx.execute("INSERT INTO title_log VALUES (?, ?)", tx.seq(), e.title()));
            on(CommentAdded.class, (e, tx) -> { });
            on(IssueSchema.IssueClosed.class, (e, tx) -> { });
        }
    }

    @Test
    void aRebuildReplaysAppliedAndCommittedEvents() {
        log.apply(List.of(event(1, "v1.IssueCreated", ODD_ARGS)));
        store.commit(new IssueRenamed("a", "Z"));
        List<LogEvent> before = log.logEventsAfter(0, 10);
        store.close();
        try (Store<IssueSchemaV2> v2 = StoreOpener.builder("issue", IssueSchemaV2.class)
                .storage(StoreStorage.directory(dir)).build().open("s1")) {
            assertEquals(BootReport.Outcome.REBUILT, v2.bootReport().outcome());
            assertEquals(2, v2.bootReport().eventsReplayed());
            assertEquals(List.of("café 🚀 \"q\" é", "Z"), v2.query(Query.of(String.class, "SELECT title FROM title_log ORDER BY seq")));
            assertEquals(before, LocalLog.of(v2).logEventsAfter(0, 10));
        }
        store = opener.open("s1");
    }

    @Test
    void onlyStoresOfThisLibraryHaveALocalLog() {
        Store<?> foreign = (Store<?>) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Store.class}, (p, m, a) -> m.getName().equals("storeId") ? "x" : null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalLog.of(foreign));
        assertTrue(e.getMessage().contains("store 'x'"), e.getMessage());
    }
}
