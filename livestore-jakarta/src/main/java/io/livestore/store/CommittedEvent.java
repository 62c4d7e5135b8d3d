package io.livestore.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as recorded in a store's log (Y1).
 *
 * <p>Since log format 2 an event also records who wrote it and its id; the first four components and
 * their accessors are unchanged, and the four-argument constructor remains for source compatibility.
 *
 * @param seq         its position in the log, starting at 1, without gaps
 * @param name        its {@link EventName}
 * @param event       the decoded event record
 * @param committedAt when its writer created it (millisecond precision): for this node's commits the
 *                    store clock at the commit, for events from an upstream log their writer's clock
 * @param clientId    who wrote it: a node id ({@link NodeIdentity}) or a LiveStore client's id
 * @param sessionId   the writer's session
 * @param eventId     its id, unique in the store's log
 */
public record CommittedEvent(long seq, String name, Event event, Instant committedAt, String clientId,
                             String sessionId, String eventId) {

    /** Checks that nothing is missing. */
    public CommittedEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(committedAt, "committedAt");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(eventId, "eventId");
    }

    /** An event whose writer and id are not known: they are empty strings. */
    public CommittedEvent(long seq, String name, Event event, Instant committedAt) {
        this(seq, name, event, committedAt, "", "", "");
    }
}
