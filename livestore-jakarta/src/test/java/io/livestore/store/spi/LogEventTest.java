package io.livestore.store.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Y1: the form of a log event, the same in every log. */
class LogEventTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:15:30.123Z");

    @Test
    void createdAtIsKeptToTheMillisecondSoThatEveryLogHoldsTheSameEvent() {
        LogEvent fine = new LogEvent(1, 0, "todoCreated", "{}", "c", "s", Instant.parse("2026-12-01T10:15:30.123999999Z"), "e");
        assertEquals(AT, fine.createdAt(), "truncated, not rounded");
        assertEquals(new LogEvent(1, 0, "todoCreated", "{}", "c", "s", AT, "e"), fine);
        assertEquals(Instant.parse("1969-12-31T23:59:59.999Z"),
                new LogEvent(1, 0, "n", "{}", "c", "s", Instant.parse("1969-12-31T23:59:59.9995Z"), "e").createdAt(),
                "before 1970 too, towards the past");
    }

    @Test
    void aPositionBelowOneOrAParentOtherThanTheOneBeforeIsRefusedNamingTheEvent() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new LogEvent(0, -1, "todoCreated", "{}", "c", "s", AT, "e"));
        assertTrue(zero.getMessage().contains("todoCreated"), zero.getMessage());
        IllegalArgumentException parent = assertThrows(IllegalArgumentException.class,
                () -> new LogEvent(3, 1, "todoCreated", "{}", "c", "s", AT, "e"));
        assertTrue(parent.getMessage().contains("parentSeqNum must be 2"), parent.getMessage());
        assertThrows(NullPointerException.class, () -> new LogEvent(1, 0, "n", null, "c", "s", AT, "e"));
        assertThrows(NullPointerException.class, () -> new LogEvent(1, 0, "n", "{}", "c", "s", AT, null));
    }

    @Test
    void anEventMovedToAnotherPositionKeepsEverythingElse() {
        LogEvent event = new LogEvent(2, 1, "todoCreated", "{\"a\": 1}", "c", "s", AT, "e");
        LogEvent moved = event.at(7);
        assertEquals(new LogEvent(7, 6, "todoCreated", "{\"a\": 1}", "c", "s", AT, "e"), moved);
    }
}
