package io.livestore.store.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One event of a store's log, in the form every log keeps it (Y1): the same in the local SQLite file,
 * in PostgreSQL and on the LiveStore sync wire.
 *
 * @param seqNum       its position in the store's log: 1 for the first event, without gaps
 * @param parentSeqNum the position of the event before it: always {@code seqNum - 1} (0 for the first)
 * @param name         the event's name ({@link io.livestore.store.EventName})
 * @param args         the event's arguments as JSON text, kept exactly as written (never re-encoded)
 * @param clientId     who wrote it: a LiveStore client's id, or the node id for Java commits
 * @param sessionId    the writing session: a LiveStore client session, or the node's process session
 * @param createdAt    when the writer created it (the writer's clock), to the millisecond: a finer instant
 *                     is truncated, so that every log keeps the same value and equal events stay equal
 * @param eventId      an id unique in the store's log, chosen by the writer: an append retried after an
 *                     unknown outcome is recognised by it and never written twice
 */
public record LogEvent(long seqNum, long parentSeqNum, String name, String args, String clientId, String sessionId,
                       Instant createdAt, String eventId) {

    /**
     * @throws IllegalArgumentException for a position below 1 or a parent other than {@code seqNum - 1}
     * @throws NullPointerException     for a missing part
     */
    public LogEvent {
        if (seqNum < 1) {
            throw new IllegalArgumentException("event '" + name + "': seqNum must be at least 1, was " + seqNum);
        }
        if (parentSeqNum != seqNum - 1) {
            throw new IllegalArgumentException("event '" + name + "' at seqNum " + seqNum + ": parentSeqNum must be "
                    + (seqNum - 1) + ", was " + parentSeqNum);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sessionId, "sessionId");
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        Objects.requireNonNull(eventId, "eventId");
    }

    /** This event at another position (a commit rebased after a conflict). */
    public LogEvent at(long newSeqNum) {
        return new LogEvent(newSeqNum, newSeqNum - 1, name, args, clientId, sessionId, createdAt, eventId);
    }
}
