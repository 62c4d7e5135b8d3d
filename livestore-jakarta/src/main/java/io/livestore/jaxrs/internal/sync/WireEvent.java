package io.livestore.jaxrs.internal.sync;

import io.livestore.store.spi.LogEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * One event of a client's Push batch as it came over the wire ({@code LiveStoreEvent.Global.Encoded},
 * protocol notes §5.1). Only its structure has been checked: whether the numbers follow the store's head
 * and each other is the engine's question.
 *
 * @param name         the event's name, not empty
 * @param args         the {@code args} value exactly as the client wrote it: the very characters of the
 *                     frame, never parsed into a tree and re-encoded (L4), so that the client gets back
 *                     what it pushed
 * @param seqNum       the global sequence number the client assigned (0 or more)
 * @param parentSeqNum the sequence number of the event before it (0 or more)
 * @param clientId     the pushing client's id
 * @param sessionId    the pushing client session's id
 */
public record WireEvent(String name, String args, long seqNum, long parentSeqNum, String clientId,
                        String sessionId) {

    /** @throws NullPointerException for a missing part */
    public WireEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /**
     * This event as an event of the store's log, with its args text unchanged.
     *
     * @param createdAt when the server accepted it (the reference server gives one instant to a whole batch)
     * @param eventId   its id in the log
     * @throws IllegalArgumentException when {@code seqNum} is below 1 or {@code parentSeqNum} is not
     *                                  {@code seqNum - 1}: the engine checks that before (L7)
     */
    public LogEvent toLogEvent(Instant createdAt, String eventId) {
        return new LogEvent(seqNum, parentSeqNum, name, args, clientId, sessionId, createdAt, eventId);
    }
}
