package io.livestore.store.spi;

import java.util.List;
import java.util.Objects;

/** The answer of {@link Upstream#append}: written, or a conflict that carries the catch-up. */
public sealed interface AppendResult {

    /** The log's head after the call. */
    LogHead head();

    /**
     * The events are in the log (written now, or already there from an earlier attempt with the same
     * event ids).
     *
     * @param head the log's head after the append
     */
    record Ok(LogHead head) implements AppendResult {
        public Ok {
            Objects.requireNonNull(head, "head");
        }
    }

    /**
     * Nothing was written: the log's head is not the expected one.
     *
     * @param head    the log's head now
     * @param missing the events after the caller's expected head, in order, up to {@code head} (at most the
     *                implementation's pull limit: when fewer than {@code head - expectedHead}, pull the rest)
     */
    record Conflict(LogHead head, List<LogEvent> missing) implements AppendResult {
        public Conflict {
            Objects.requireNonNull(head, "head");
            missing = List.copyOf(missing);
        }
    }
}
