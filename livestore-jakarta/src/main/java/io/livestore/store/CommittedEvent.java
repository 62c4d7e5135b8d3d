package io.livestore.store;

import java.time.Instant;

/**
 * An event as recorded in a store's log.
 *
 * @param seq         its position in the log, starting at 1, without gaps
 * @param name        its {@link EventName}
 * @param event       the decoded event record
 * @param committedAt when the commit that wrote it was made (store clock, millisecond precision)
 */
public record CommittedEvent(long seq, String name, Event event, Instant committedAt) {
}
