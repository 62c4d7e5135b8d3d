package io.livestore.it;

import io.livestore.store.Event;
import io.livestore.store.EventName;

/** A note was added to a notebook store. */
@EventName("v1.NoteAdded")
public record NoteAdded(String id, String text) implements Event {
}
