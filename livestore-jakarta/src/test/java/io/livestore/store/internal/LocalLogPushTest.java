package io.livestore.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.CompiledSchema;
import io.livestore.store.EventName;
import io.livestore.store.Event;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRow;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import io.livestore.store.SchemaBehindLogException;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreSettings;
import io.livestore.store.StoreStorage;
import io.livestore.store.UnknownEventException;
import io.livestore.store.UnrecognizedEvent;
import io.livestore.store.spi.LogEvent;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** L3/L4 at the store: a client's push is written only at the head, taps see every write in order, unknown events kept or refused. */
class LocalLogPushTest {

    static final Instant T = Instant.parse("2026-12-02T08:00:00.123Z");

    @TempDir
    Path dir;

    /** A schema that models part of a JavaScript schema: it keeps the events it does not know. */
    public static final class KeepingSchema extends Schema {
        @EventName("v1.TodoCreated")
        public record TodoCreated(String id, String text) implements Event { }

        public record Todo(String id, String text) { }

        public KeepingSchema() {
            table("CREATE TABLE todos (id TEXT PRIMARY KEY, text TEXT NOT NULL)");
            on(TodoCreated.class, (e, tx) -> tx.execute("INSERT INTO todos (id, text) VALUES (?, ?)", e.id(), e.text()));
            keepUnknownEvents();
        }
    }

    static LogEvent event(long seq, String name, String args) {
        return new LogEvent(seq, seq - 1, name, args, "client-A", "session-1", T.plusMillis(seq), "ev-" + seq);
    }

    /** Records what a tap is told. */
    static final class Recorder implements LocalLog.Listener {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public void appended(List<LogEvent> batch) {
            events.addAll(batch);
        }

        @Override
        public void closed() {
            closed = true;
        }
    }

    @Test
    void aPushIsWrittenOnlyWhenItContinuesTheHeadAndTapsSeeEveryWriteInOrder() {
        try (Store<IssueSchema> store = StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(dir))
                .nodeId("server").build().open("s")) {
            LocalLog log = LocalLog.of(store);
            store.commit(new IssueCreated("a", "A"));
            Recorder recorder = new Recorder();
            LocalLog.Tap tap = log.tap(recorder);
            assertEquals(1, tap.head(), "the tap starts after the head it was registered at");

            String odd = " {\"title\" : \"caf\\u00e9\", \"id\":\"b\"} ";
            assertEquals(new LocalLog.Pushed(true, 2), log.push(List.of(event(2, "v1.IssueCreated", odd))));
            assertEquals(new LocalLog.Pushed(false, 2), log.push(List.of(event(2, "v1.IssueCreated", "{\"id\":\"c\",\"title\":\"C\"}"))),
                    "a push whose parent is not the head writes nothing and says the head");
            assertEquals(new LocalLog.Pushed(false, 2), log.push(List.of(event(5, "v1.IssueCreated", "{\"id\":\"c\",\"title\":\"C\"}"))));
            store.commit(new IssueCreated("c", "C"));

            assertEquals(List.of(2L, 3L), recorder.events.stream().map(LogEvent::seqNum).toList());
            assertEquals(odd, recorder.events.get(0).args(), "args as pushed, byte for byte");
            assertEquals("client-A", recorder.events.get(0).clientId());
            assertEquals("server", recorder.events.get(1).clientId(), "a Java commit carries the node's id");
            assertEquals(log.logEventsAfter(1, 10), recorder.events, "what the tap saw is the log");
            assertEquals(List.of("a", "b", "c"), store.query(Query.of(IssueRow.class, "SELECT * FROM issue ORDER BY id"))
                    .stream().map(IssueRow::id).toList(), "a pushed event is materialized");

            tap.close();
            store.commit(new IssueCreated("d", "D"));
            assertEquals(2, recorder.events.size(), "a closed tap hears nothing");
            Recorder second = new Recorder();
            log.tap(second);
            store.close();
            assertTrue(second.closed, "a tap is told when its store closes");
        }
    }

    @Test
    void anUnknownEventIsRefusedUnlessTheSchemaKeepsThemThenKeptReadAndRebuiltWithoutMaterializing() {
        try (Store<IssueSchema> store = StoreOpener.builder("issue", IssueSchema.class).storage(StoreStorage.directory(dir.resolve("a")))
                .build().open("s")) {
            UnknownEventException e = assertThrows(UnknownEventException.class,
                    () -> LocalLog.of(store).push(List.of(event(1, "v1.NoteAdded", "{\"id\":\"n\"}"))));
            assertTrue(e.getMessage().contains("'v1.NoteAdded'"), e.getMessage());
            assertEquals(0, store.head(), "nothing written");
        }
        StoreOpener<KeepingSchema> opener = StoreOpener.builder("todo", KeepingSchema.class)
                .storage(StoreStorage.directory(dir.resolve("b"))).build();
        try (Store<KeepingSchema> store = opener.open("s")) {
            LocalLog log = LocalLog.of(store);
            assertTrue(log.push(List.of(event(1, "v1.TodoCreated", "{\"id\":\"t\",\"text\":\"x\"}"),
                    event(2, "v1.NoteAdded", "{\"id\":\"n\",\"note\":\"kept\"}"))).accepted());
            assertEquals(new UnrecognizedEvent("v1.NoteAdded", "{\"id\":\"n\",\"note\":\"kept\"}"), store.eventsSince(1).get(0).event());
            assertEquals(2, log.logEventsAfter(0, 10).size());
        }
        // A schema change rebuilds the tables from the log: the kept event is skipped, not a failure.
        StoreOpener<KeepingSchema> again = StoreOpener.builder("todo", KeepingSchema.class)
                .storage(StoreStorage.directory(dir.resolve("b"))).build();
        try (Store<KeepingSchema> store = again.open("s")) {
            assertEquals(2, store.head());
            assertEquals(List.of("t"), store.query(Query.of(String.class, "SELECT id FROM todos")));
        }
    }

    @Test
    void inClusterModeAPushIsAppendedUpstreamAtItsParentAndALosingPushBringsTheMissingEventsToTheTap() {
        CompiledSchema<IssueSchema> schema = CompiledSchema.of(IssueSchema.class);
        try (InMemoryUpstream log = new InMemoryUpstream();
             InMemoryUpstream otherNode = log.node();
             Store<IssueSchema> store = StoreOpener.of(StoreSettings.builder("issue", schema)
                     .storage(StoreStorage.directory(dir)).nodeId("web-1").upstream(log).build()).open("s")) {
            LocalLog local = LocalLog.of(store);
            String identity = local.settledBackendId();
            assertEquals(log.head("s").orElseThrow().backendId(), identity, "an empty store's identity is the log's, fixed now");
            assertEquals(identity, local.settledBackendId(), "and it stays");

            Recorder recorder = new Recorder();
            local.tap(recorder);
            assertEquals(new LocalLog.Pushed(true, 1), local.push(List.of(event(1, "v1.IssueCreated", "{\"id\":\"a\",\"title\":\"A\"}"))));
            assertEquals(identity, local.backendId(), "the first append wrote into the created log: same identity");
            assertEquals(log.pull("s", 0, 10), local.logEventsAfter(0, 10), "durable upstream when accepted");

            // another node appends event 2; a client still at 1 pushes on top of 1 and loses
            otherNode.append("s", 1, List.of(event(2, "v1.IssueCreated", "{\"id\":\"b\",\"title\":\"B\"}")));
            LocalLog.Pushed lost = local.push(List.of(new LogEvent(2, 1, "v1.IssueCreated", "{\"id\":\"c\",\"title\":\"C\"}",
                    "client-A", "session-1", T, "ev-c")));
            assertEquals(new LocalLog.Pushed(false, 2), lost);
            assertEquals(List.of(1L, 2L), recorder.events.stream().map(LogEvent::seqNum).toList(),
                    "the event the client lacks reached the tap (so its live pull gets it)");
            assertEquals("B", store.query(Query.of(IssueRow.class, "SELECT * FROM issue WHERE id = 'b'")).get(0).title());
            assertFalse(store.query(Query.of(String.class, "SELECT id FROM issue")).contains("c"));

            // a push at a parent ahead of this copy: it catches up first, then decides
            otherNode.append("s", 2, List.of(event(3, "v1.IssueCreated", "{\"id\":\"d\",\"title\":\"D\"}")));
            LogEvent fourth = new LogEvent(4, 3, "v1.IssueCreated", "{\"id\":\"e\",\"title\":\"E\"}", "client-A", "session-1", T, "ev-e");
            assertEquals(new LocalLog.Pushed(true, 4), local.push(List.of(fourth)));
            assertEquals(4, log.head("s").orElseThrow().head());
            assertNotEquals(0, recorder.events.size());
            assertEquals(List.of(1L, 2L, 3L, 4L), recorder.events.stream().map(LogEvent::seqNum).toList());
        }
    }

    @Test
    void aClusterStoreStoppedByAnUnknownEventRefusesPushesToo() {
        CompiledSchema<IssueSchema> schema = CompiledSchema.of(IssueSchema.class);
        try (InMemoryUpstream log = new InMemoryUpstream();
             Store<IssueSchema> store = StoreOpener.of(StoreSettings.builder("issue", schema)
                     .storage(StoreStorage.directory(dir)).upstream(log).build()).open("s")) {
            log.append("s", 0, List.of(event(1, "v2.Unknown", "{}")));
            LocalLog local = LocalLog.of(store);
            List<LogEvent> push = new ArrayList<>(List.of(event(2, "v1.IssueCreated", "{\"id\":\"a\",\"title\":\"A\"}")));
            assertThrows(SchemaBehindLogException.class, () -> local.push(push));
            assertInstanceOf(SchemaBehindLogException.class, assertThrows(SchemaBehindLogException.class, () -> local.push(push)));
            assertEquals(0, store.head());
        }
    }
}
