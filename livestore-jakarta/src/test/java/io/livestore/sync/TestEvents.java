package io.livestore.sync;

import io.livestore.store.spi.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Log events for the upstream contract: plain, numbered, with ids the tests choose. */
final class TestEvents {

    /** A fixed, millisecond-precise creation time, so that pulled events compare equal to appended ones. */
    static final Instant CREATED_AT = Instant.parse("2026-12-01T10:15:30.123Z");

    private TestEvents() {
    }

    /** An event at {@code seqNum} with the id {@code eventId} and arguments that name it. */
    static LogEvent event(long seqNum, String eventId) {
        return new LogEvent(seqNum, seqNum - 1, "todoCreated", "{\"id\":\"" + eventId + "\",\"text\":\"buy milk\"}",
                "client-1", "session-1", CREATED_AT, eventId);
    }

    /** An event at {@code seqNum} with the given arguments. */
    static LogEvent withArgs(long seqNum, String eventId, String args) {
        return new LogEvent(seqNum, seqNum - 1, "todoCreated", args, "client-1", "session-1", CREATED_AT, eventId);
    }

    /** Events numbered {@code expectedHead + 1, +2, ...}, one per id. */
    static List<LogEvent> batch(long expectedHead, String... eventIds) {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < eventIds.length; i++) {
            events.add(event(expectedHead + 1 + i, eventIds[i]));
        }
        return events;
    }

    /** The same events renumbered from {@code expectedHead + 1} (a batch rebased after a conflict). */
    static List<LogEvent> rebased(List<LogEvent> events, long expectedHead) {
        List<LogEvent> moved = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            moved.add(events.get(i).at(expectedHead + 1 + i));
        }
        return moved;
    }

    /** The ids of {@code events}, in order. */
    static List<String> ids(List<LogEvent> events) {
        return events.stream().map(LogEvent::eventId).toList();
    }
}
