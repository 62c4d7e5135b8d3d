package io.livestore.store;

import java.util.Objects;

/**
 * An event in a store's log whose name the store's schema does not declare, kept as it was written
 * because the schema {@linkplain Schema#keepUnknownEvents() keeps unknown events} — typically written by a
 * LiveStore JavaScript client whose schema has events the Java schema does not model. It was never
 * materialized. {@link Store#eventsSince} returns it in its place in the log.
 *
 * @param name the event's name as written
 * @param args its arguments, the JSON text exactly as written
 */
public record UnrecognizedEvent(String name, String args) implements Event {

    /** Checks that nothing is missing. */
    public UnrecognizedEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(args, "args");
    }
}
