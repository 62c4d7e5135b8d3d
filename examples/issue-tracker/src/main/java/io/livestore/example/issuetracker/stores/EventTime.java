package io.livestore.example.issuetracker.stores;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The time events carry: now, to the millisecond, which is what stores keep of an {@link Instant}. */
public final class EventTime {

    private EventTime() {
    }

    /** Now, truncated to milliseconds, so an answer built from an event equals what a later read returns. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
