package io.livestore.jaxrs.internal.sync;

import io.livestore.store.spi.LogEvent;
import java.util.List;
import java.util.Objects;

/**
 * One {@code PullResponse} value of a Pull's {@code Chunk} (protocol notes §5.2): a page of events in
 * seqNum order, how many follow it, and the store's backend id. Cut by {@link SyncFrames#pages} so that it
 * stays within {@link SyncFrames#MAX_PAGE_EVENTS} events and {@link SyncFrames#MAX_PAGE_BYTES} bytes (but
 * for a single event that alone is larger).
 *
 * @param batch     the events of the page, possibly none (an empty store or a caught-up client)
 * @param remaining how many events the client will still get after this page: written as
 *                  {@code {"_tag":"MoreKnown","remaining":n}}, and 0 as {@code {"_tag":"NoMore"}}, which is
 *                  what lets the client process its own commits again
 * @param backendId the id of the store's log, the same in every page (the client persists it)
 */
public record PullPage(List<LogEvent> batch, long remaining, String backendId) {

    /**
     * @throws IllegalArgumentException for a negative {@code remaining}
     * @throws NullPointerException     for a missing batch, event or backend id
     */
    public PullPage {
        batch = List.copyOf(batch);
        if (remaining < 0) {
            throw new IllegalArgumentException("a pull page cannot have " + remaining + " events after it");
        }
        Objects.requireNonNull(backendId, "backendId");
    }
}
