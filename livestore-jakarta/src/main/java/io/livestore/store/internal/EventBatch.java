package io.livestore.store.internal;

import io.livestore.store.CompiledSchema;
import io.livestore.store.Event;
import io.livestore.store.InvalidEventException;
import io.livestore.store.UnknownEventException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.TreeSet;

/**
 * The events of one commit, checked and encoded before the store's lock is taken (S2): everything
 * that can be checked without the database is, and JSON work stays out of the serialized section.
 */
final class EventBatch {

    final List<? extends Event> events;
    final EventType[] types;
    final String[] payloads;

    private EventBatch(List<? extends Event> events, EventType[] types, String[] payloads) {
        this.events = events;
        this.types = types;
        this.payloads = payloads;
    }

    int size() {
        return types.length;
    }

    /**
     * Checks and encodes {@code events}; {@code where} names the store in messages.
     *
     * @throws InvalidEventException a null event or component, text SQLite cannot store, or an unencodable event
     * @throws UnknownEventException an event type the schema does not declare
     */
    static EventBatch of(CompiledSchema<?> schema, List<? extends Event> events, String storeId, String where) {
        int n = events.size();
        EventType[] types = new EventType[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            if (e == null) {
                throw new InvalidEventException(where + ": event #" + i + " is null; nothing was written");
            }
            EventType t = ApiAccess.schemas().typeOf(schema, e.getClass());
            if (t == null) {
                throw new UnknownEventException(where + ": event #" + i + " of type " + e.getClass().getName()
                        + " is not declared by schema " + schema.schemaClass().getName() + " (declared: "
                        + new TreeSet<>(schema.eventNames()) + "); nothing was written");
            }
            t.validate(e, storeId, i);
            try {
                payloads[i] = t.codec().encode(e);
            } catch (JsonProcessingException ex) {
                throw new InvalidEventException(where + ": event #" + i + " " + t.name()
                        + " cannot be encoded as JSON; nothing was written", ex);
            }
            t.requireStorableText(e, payloads[i], where, i);
            types[i] = t;
        }
        return new EventBatch(events, types, payloads);
    }
}
