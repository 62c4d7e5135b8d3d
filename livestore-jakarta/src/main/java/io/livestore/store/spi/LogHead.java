package io.livestore.store.spi;

import java.util.Objects;

/**
 * Where a store's upstream log stands.
 *
 * @param backendId the log's identity, a UUID fixed when the log was created (Y1): a local copy that
 *                  records another backendId is not a copy of this log (Y6)
 * @param head      the seqNum of its last event; 0 for a log without events
 */
public record LogHead(String backendId, long head) {

    /** @throws IllegalArgumentException for a negative head */
    public LogHead {
        Objects.requireNonNull(backendId, "backendId");
        if (head < 0) {
            throw new IllegalArgumentException("a log's head is never negative, was " + head);
        }
    }
}
