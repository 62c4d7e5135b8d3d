package io.livestore.sync;

import static io.livestore.sync.TestEvents.batch;
import static io.livestore.sync.TestEvents.event;
import static io.livestore.sync.TestEvents.withArgs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.AppendResult.Conflict;
import io.livestore.store.spi.AppendResult.Ok;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Y1, Y2: append is a compare-and-set on the head, all or nothing, and a retry never writes twice. */
interface AppendContract extends UpstreamFixture {

    /** Appends that must succeed, returning the new head. */
    private LogHead appendOk(Upstream upstream, String storeId, long expectedHead, List<LogEvent> events) {
        AppendResult result = upstream.append(storeId, expectedHead, events);
        return assertInstanceOf(Ok.class, result, "append to '" + storeId + "' at " + expectedHead).head();
    }

    private List<LogEvent> all(Upstream upstream, String storeId) {
        return upstream.pull(storeId, 0, 10_000);
    }

    @Test
    default void theFirstAppendCreatesTheLogWithAFreshBackendIdThatStaysFixed() {
        LogHead created = appendOk(upstream(), "todos", 0, batch(0, "e1"));
        assertEquals(1, created.head());
        assertEquals(created.backendId(), UUID.fromString(created.backendId()).toString(), "a backendId is a UUID");
        assertEquals(Optional.of(created), upstream().head("todos"));

        LogHead later = appendOk(upstream(), "todos", 1, batch(1, "e2", "e3"));
        assertEquals(new LogHead(created.backendId(), 3), later);
        assertEquals(Optional.of(later), node().head("todos"), "another node sees the same log");

        LogHead other = appendOk(upstream(), "notes", 0, batch(0, "e1"));
        assertNotEquals(created.backendId(), other.backendId(), "every store's log has its own backendId");
    }

    @Test
    default void numberingErrorsAreRefusedAndWriteNothing() {
        appendOk(upstream(), "todos", 0, batch(0, "a", "b"));
        record Case(String what, String storeId, long expectedHead, List<LogEvent> events) {
        }
        List<Case> cases = List.of(
                new Case("an empty batch on a new store", "fresh", 0, List.of()),
                new Case("an empty batch", "todos", 2, List.of()),
                new Case("a first event after expectedHead + 1 on a new store", "fresh", 0, List.of(event(2, "x"))),
                new Case("a first event after expectedHead + 1", "todos", 2, List.of(event(4, "x"))),
                new Case("a first event at expectedHead", "todos", 2, List.of(event(2, "x"))),
                new Case("a gap", "todos", 2, List.of(event(3, "x"), event(5, "y"))),
                new Case("a gap on a new store", "fresh", 0, List.of(event(1, "x"), event(3, "y"))),
                new Case("a position twice", "todos", 2, List.of(event(3, "x"), event(3, "y"))),
                new Case("descending positions", "todos", 2, List.of(event(4, "x"), event(3, "y"))),
                new Case("an event id twice in the batch", "todos", 2, List.of(event(3, "x"), event(4, "x"))),
                new Case("a negative expected head", "todos", -1, List.of(event(1, "x"))));
        for (Case c : cases) {
            assertThrows(IllegalArgumentException.class,
                    () -> upstream().append(c.storeId(), c.expectedHead(), c.events()), c.what());
            assertEquals(Optional.empty(), upstream().head("fresh"), c.what() + ": no log created");
            assertEquals(batch(0, "a", "b"), all(upstream(), "todos"), c.what() + ": nothing written");
        }
    }

    @Test
    default void aStaleHeadIsAConflictWithExactlyTheMissingEventsAndWritesNothing() {
        Upstream writer = upstream();
        Upstream other = node();
        LogHead head = appendOk(writer, "todos", 0, batch(0, "a"));
        List<LogEvent> missing = new ArrayList<>(List.of(
                withArgs(2, "b", "{ \"text\" : \"caf\\u00e9\",  \"n\": 1.50 }"),
                withArgs(3, "c", "{\"z\":1,\"a\":[true,null,\"日本語 😀\"]}")));
        appendOk(writer, "todos", 1, missing);
        missing.add(event(4, "d"));
        appendOk(writer, "todos", 3, List.of(event(4, "d")));

        AppendResult result = other.append("todos", 1, batch(1, "x"));
        Conflict conflict = assertInstanceOf(Conflict.class, result);
        assertEquals(new LogHead(head.backendId(), 4), conflict.head());
        assertEquals(missing, conflict.missing(), "the events after the expected head, exactly as written");
        assertEquals(4, all(writer, "todos").size(), "nothing written");

        Conflict fromZero = assertInstanceOf(Conflict.class, other.append("todos", 0, batch(0, "x")));
        assertEquals(all(writer, "todos"), fromZero.missing(), "expecting an empty log misses all of it");

        LogHead rebased = appendOk(other, "todos", 4, TestEvents.rebased(batch(1, "x"), 4));
        assertEquals(new LogHead(head.backendId(), 5), rebased, "the rebased batch is written");
    }

    @Test
    default void anExpectedHeadBeyondTheLogIsAConflictWithoutMissingEvents() {
        LogHead head = appendOk(upstream(), "todos", 0, batch(0, "a", "b"));
        Conflict conflict = assertInstanceOf(Conflict.class, upstream().append("todos", 5, batch(5, "x")));
        assertEquals(head, conflict.head());
        assertEquals(List.of(), conflict.missing());
        assertEquals(batch(0, "a", "b"), all(upstream(), "todos"));
    }

    @Test
    default void aStoreWithoutALogRefusesAnAppendExpectingEvents() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> upstream().append("missing", 3, batch(3, "x")));
        assertTrue(e.getMessage().contains("missing"), "names the store: " + e.getMessage());
        assertEquals(Optional.empty(), upstream().head("missing"), "no log created");
        assertEquals(List.of(), upstream().pull("missing", 0, 10));
    }

    @Test
    default void aRetryOfAWrittenAppendIsOkWithoutWritingAgain() {
        LogHead first = appendOk(upstream(), "todos", 0, batch(0, "a", "b"));
        assertEquals(first, appendOk(upstream(), "todos", 0, batch(0, "a", "b")), "the same call again");
        assertEquals(first, appendOk(node(), "todos", 0, batch(0, "a", "b")), "the same call through another node");
        assertEquals(batch(0, "a", "b"), all(upstream(), "todos"), "written once");

        LogHead moved = appendOk(upstream(), "todos", 2, batch(2, "c"));
        assertEquals(moved, appendOk(upstream(), "todos", 0, batch(0, "a", "b")),
                "a late retry answers the log's head now: the events stand where they were asked to");
        assertEquals(moved, appendOk(upstream(), "todos", 1, batch(1, "b")), "a suffix at its own position");
        assertEquals(batch(0, "a", "b", "c"), all(upstream(), "todos"));
    }

    @Test
    default void aPartlyWrittenBatchIsAConflictThatIncludesTheCallersOwnEvents() {
        appendOk(upstream(), "todos", 0, batch(0, "a", "b"));
        Conflict conflict = assertInstanceOf(Conflict.class, upstream().append("todos", 0, batch(0, "a", "b", "c")));
        assertEquals(2, conflict.head().head());
        assertEquals(batch(0, "a", "b"), conflict.missing(), "the caller recognises its own events by their ids");
        assertEquals(batch(0, "a", "b"), all(upstream(), "todos"), "nothing written");
    }

    @Test
    default void anEventIdAlreadyInTheLogAtAnotherPositionIsRefused() {
        appendOk(upstream(), "todos", 0, batch(0, "a", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> upstream().append("todos", 2, List.of(event(3, "c"), event(4, "a"))));
        assertTrue(e.getMessage().contains("'a'"), "names the event id: " + e.getMessage());
        assertEquals(batch(0, "a", "b"), all(upstream(), "todos"), "all or nothing: not even 'c' is written");
        assertEquals(3, appendOk(node(), "todos", 2, batch(2, "c")).head(), "the store still takes appends");

        appendOk(upstream(), "notes", 0, batch(0, "a"));
        assertEquals(List.of(event(1, "a")), all(upstream(), "notes"), "event ids are unique per store only");
    }

    @Test
    default void aRetryWhoseEventsDifferFromTheWrittenOnesIsRefused() {
        appendOk(upstream(), "todos", 0, batch(0, "a"));
        LogEvent changed = withArgs(1, "a", "{\"id\":\"a\",\"text\":\"buy bread\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> upstream().append("todos", 0, List.of(changed)));
        assertTrue(e.getMessage().contains("'a'"), "names the event id: " + e.getMessage());
        assertEquals(batch(0, "a"), all(upstream(), "todos"));
    }
}
