package io.livestore.sync;

import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Events and a recording listener for the PostgreSQL tests. */
final class PgTestEvents {

    static final Instant CREATED = Instant.parse("2026-12-01T10:15:30.123Z");

    private PgTestEvents() {
    }

    static LogEvent event(long seqNum, String id) {
        return new LogEvent(seqNum, seqNum - 1, "v1.Test", "{\"id\":\"" + id + "\"}", "client-1", "session-1",
                CREATED.plus(seqNum, ChronoUnit.MILLIS), id);
    }

    static LogEvent withArgs(long seqNum, String id, String args) {
        return new LogEvent(seqNum, seqNum - 1, "v1.Test", args, "client-1", "session-1", CREATED, id);
    }

    /** Events numbered after {@code head}, with these ids. */
    static List<LogEvent> batch(long head, String... ids) {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            events.add(event(head + 1 + i, ids[i]));
        }
        return events;
    }

    /** Records what it is told, as "resync" and "storeId@head". */
    static final class Recording implements ChangeListener {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @Override
        public void changed(String storeId, long head) {
            seen.add(storeId + "@" + head);
        }

        @Override
        public void resync() {
            seen.add("resync");
        }

        /** Waits for the first thing that matches, dropping what comes before it. */
        String await(Predicate<String> what, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String s = seen.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new AssertionError("not seen within " + timeout);
                }
                if (what.test(s)) {
                    return s;
                }
            }
        }
    }
}
