package io.livestore.sync;

import static io.livestore.sync.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livestore.store.StoreIds;
import io.livestore.store.spi.AppendResult.Ok;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Y1: pull, head and heads, every event back exactly as written, and which storeIds a log accepts. */
interface ReadContract extends UpstreamFixture {

    private LogHead appendOk(Upstream upstream, String storeId, long expectedHead, List<LogEvent> events) {
        return assertInstanceOf(Ok.class, upstream.append(storeId, expectedHead, events),
                "append to '" + storeId + "' at " + expectedHead).head();
    }

    @Test
    default void pullReadsAfterTheCursorInOrderUpToTheLimit() {
        appendOk(upstream(), "todos", 0, batch(0, "a", "b", "c"));
        appendOk(upstream(), "todos", 3, batch(3, "d", "e"));
        List<LogEvent> all = batch(0, "a", "b", "c", "d", "e");
        for (Upstream reader : List.of(upstream(), node())) {
            assertEquals(all.subList(0, 2), reader.pull("todos", 0, 2));
            assertEquals(all.subList(2, 4), reader.pull("todos", 2, 2));
            assertEquals(all.subList(4, 5), reader.pull("todos", 4, 2));
            assertEquals(all.subList(1, 5), reader.pull("todos", 1, 100));
            assertEquals(List.of(), reader.pull("todos", 5, 2), "nothing after the head");
            assertEquals(List.of(), reader.pull("todos", 99, 2), "nothing after a cursor beyond the head");
            assertEquals(all, reader.pull("todos", 0, Integer.MAX_VALUE).subList(0, 5));
        }
    }

    @Test
    default void aStoreWithoutALogHasNoEventsAndNoHead() {
        assertEquals(List.of(), upstream().pull("nobody", 0, 10));
        assertEquals(Optional.empty(), upstream().head("nobody"));
        assertEquals(Map.of(), upstream().heads(List.of("nobody")));
        assertEquals(Optional.empty(), upstream().head("nobody"), "reading creates no log");
    }

    @Test
    default void pullRefusesANegativeCursorOrALimitBelowOne() {
        appendOk(upstream(), "todos", 0, batch(0, "a"));
        assertThrows(IllegalArgumentException.class, () -> upstream().pull("todos", -1, 10));
        assertThrows(IllegalArgumentException.class, () -> upstream().pull("todos", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> upstream().pull("todos", 0, -5));
    }

    @Test
    default void headsAnswersTheStoresThatHaveALogAndOmitsTheOthers() {
        Map<String, LogHead> expected = new HashMap<>();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String storeId = "org:" + i;
            asked.add(storeId);
            if (i % 4 == 3) {
                continue;
            }
            int events = 1 + i % 3;
            List<String> ids = new ArrayList<>();
            for (int e = 0; e < events; e++) {
                ids.add("e" + e);
            }
            expected.put(storeId, appendOk(upstream(), storeId, 0, batch(0, ids.toArray(String[]::new))));
        }
        asked.add("org:1");
        Set<String> backendIds = new HashSet<>();
        expected.values().forEach(head -> backendIds.add(head.backendId()));
        assertEquals(expected.size(), backendIds.size(), "one backendId per store");
        for (Upstream reader : List.of(upstream(), node())) {
            assertEquals(expected, reader.heads(asked));
            assertEquals(Map.of(), reader.heads(List.of()));
            assertEquals(Map.of("org:2", expected.get("org:2")), reader.heads(Set.of("org:2", "org:3")));
            for (String storeId : asked) {
                assertEquals(Optional.ofNullable(expected.get(storeId)), reader.head(storeId));
            }
        }
    }

    @Test
    default void argsComeBackExactlyAsWritten() {
        String big = "{\"blob\":\"" + "0123456789abcdéf日😀".repeat(100_000 / 20) + "\",\"tail\":1}";
        List<String> args = List.of(
                "{}",
                "{\"b\":1,\"a\":2,\"b2\":{\"z\":[3,2,1],\"y\":null}}",
                "  {  \"spaced\"\t:\n [ 1 ,2\r\n, 3 ]   }  ",
                "{\"escaped\":\"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\" \\\\ \\/ \\n\\t\\u0000\"}",
                "{\"raw\":\"café 日本語 😀 \u2028\"}",
                "{\"big\":123456789012345678901234567890,\"neg\":-0.0,\"exp\":1.0E+400,\"f\":1.10,\"tiny\":1e-400}",
                "{\"dup\":1,\"dup\":2}",
                "[1,\"two\",{\"three\":3}]",
                big);
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            events.add(TestEvents.withArgs(i + 1, "e" + i, args.get(i)));
        }
        appendOk(upstream(), "todos", 0, events);
        for (Upstream reader : List.of(upstream(), node())) {
            List<LogEvent> pulled = reader.pull("todos", 0, 100);
            assertEquals(args.size(), pulled.size());
            for (int i = 0; i < args.size(); i++) {
                assertEquals(args.get(i), pulled.get(i).args(), "args of event " + (i + 1) + " char for char");
            }
            assertEquals(events, pulled);
        }
    }

    @Test
    default void everyPartOfAnEventComesBackExactlyIncludingCreatedAtToTheMillisecond() {
        List<Instant> times = List.of(
                Instant.parse("1999-12-31T23:59:59.999Z"),
                Instant.parse("2026-12-01T10:15:30.001Z"),
                Instant.ofEpochMilli(0),
                Instant.parse("2100-01-01T00:00:00.500Z"),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            events.add(new LogEvent(i + 1, i, "todo.created_v" + i, "{\"i\":" + i + "}", "client-客户-" + i,
                    "session-" + "s".repeat(200) + i, times.get(i), "evt-" + i + "-ÿ"));
        }
        appendOk(upstream(), "todos", 0, events);
        assertEquals(events, node().pull("todos", 0, 100));
        LogEvent fine = new LogEvent(6, 5, "n", "{}", "c", "s", Instant.parse("2026-12-01T10:15:30.123456789Z"), "fine");
        appendOk(upstream(), "todos", 5, List.of(fine));
        assertEquals(Instant.parse("2026-12-01T10:15:30.123Z"), node().pull("todos", 5, 1).get(0).createdAt(),
                "a log keeps the writer's clock to the millisecond");
    }

    @Test
    default void storeIdsFollowTheStoreRulesAndAreCaseSensitive() {
        List<String> invalid = List.of("", "a/b", "..", ".", "with space", "x".repeat(StoreIds.MAX_LENGTH + 1),
                "tab\t", "ümlaut", "semi;colon");
        for (String storeId : invalid) {
            assertThrows(IllegalArgumentException.class, () -> upstream().append(storeId, 0, batch(0, "a")),
                    "append to " + storeId);
            assertThrows(IllegalArgumentException.class, () -> upstream().pull(storeId, 0, 10), "pull " + storeId);
            assertThrows(IllegalArgumentException.class, () -> upstream().head(storeId), "head " + storeId);
            assertThrows(IllegalArgumentException.class, () -> upstream().heads(List.of("ok", storeId)),
                    "heads " + storeId);
        }
        List<String> valid = List.of("Org:Acme", "org:acme", "a.b_c-d:1", "x".repeat(StoreIds.MAX_LENGTH), "0");
        for (String storeId : valid) {
            appendOk(upstream(), storeId, 0, batch(0, storeId.substring(0, 1)));
        }
        assertNotEquals(upstream().head("Org:Acme").orElseThrow().backendId(),
                upstream().head("org:acme").orElseThrow().backendId(), "storeIds differing in case are two stores");
        assertEquals(valid.size(), upstream().heads(valid).size());
    }
}
