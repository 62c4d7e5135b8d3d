package io.livestore.jaxrs.internal.sync;

import java.util.Objects;

/**
 * Where a client's pull starts: the {@code Some} value of the Pull request's {@code cursor} (protocol notes
 * §5.2). A pull without a cursor ({@code {"_tag":"None"}}) is a pull from the beginning and has no
 * {@code Cursor}.
 *
 * @param backendId           the backend id the client has persisted from an earlier pull page; the engine
 *                            answers a foreign one with {@code BackendIdMismatchError}
 * @param eventSequenceNumber the last global sequence number the client has (0 or more): the pull sends the
 *                            events after it
 */
public record Cursor(String backendId, long eventSequenceNumber) {

    /** @throws NullPointerException without a backend id */
    public Cursor {
        Objects.requireNonNull(backendId, "backendId");
    }
}
