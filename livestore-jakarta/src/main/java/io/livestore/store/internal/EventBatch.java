package io.livestore.store.internal;

import io.livestore.store.CompiledSchema;
import io.livestore.store.Event;
import io.livestore.store.InvalidEventException;
import io.livestore.store.NodeIdentity;
import io.livestore.store.UnknownEventException;
import io.livestore.store.UnrecognizedEvent;
import io.livestore.store.spi.LogEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The events of one write — a commit, or a batch applied from an upstream log — checked, encoded or
 * decoded before the store's lock is taken (S2): everything that can be checked without the database
 * is, and JSON work stays out of the serialized section. Holds each row of the log table (Y1) but its
 * position, which the writer gives under the lock.
 */
final class EventBatch {

    final List<? extends Event> events;
    /** Each event's type; null for an event the schema does not declare and keeps ({@link #names}). */
    final EventType[] types;
    /** Each event's name (for a kept unknown event the only record of it), or null for a commit's events. */
    final String[] names;
    /** The JSON text of each event, stored exactly so. */
    final String[] args;
    final String[] clientIds;
    final String[] sessionIds;
    final String[] eventIds;
    /** Each event's creation time (epoch millis); null for a commit, which takes the store clock's time at writing. */
    final long[] createdAt;
    /** For a batch from an upstream log: the seqNum its first event must have (head + 1); else 0. */
    final long firstSeqNum;

    private EventBatch(List<? extends Event> events, EventType[] types, String[] names, String[] args, String[] clientIds,
                       String[] sessionIds, String[] eventIds, long[] createdAt, long firstSeqNum) {
        this.events = events;
        this.types = types;
        this.names = names;
        this.args = args;
        this.clientIds = clientIds;
        this.sessionIds = sessionIds;
        this.eventIds = eventIds;
        this.createdAt = createdAt;
        this.firstSeqNum = firstSeqNum;
    }

    int size() {
        return types.length;
    }

    /**
     * The batch as the log's rows once written at {@code first, first + 1, ...}: a commit's events take
     * {@code now} as their creation time, events from a log or a client keep theirs.
     */
    List<LogEvent> logEvents(long first, long now) {
        List<LogEvent> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            long seq = first + i;
            out.add(new LogEvent(seq, seq - 1, name(i), args[i], clientIds[i], sessionIds[i],
                    java.time.Instant.ofEpochMilli(createdAt == null ? now : createdAt[i]), eventIds[i]));
        }
        return List.copyOf(out);
    }

    /** The name of event {@code i}. */
    String name(int i) {
        return types[i] != null ? types[i].name() : names[i];
    }

    boolean fromUpstream() {
        return createdAt != null;
    }

    /**
     * Checks and encodes the events of a commit by {@code writer}; each gets a new time-ordered UUID as its
     * event id ({@link EventIds}).
     * {@code where} names the store in messages.
     *
     * @throws InvalidEventException a null event or component, text SQLite cannot store, or an unencodable event
     * @throws UnknownEventException an event type the schema does not declare
     */
    static EventBatch of(CompiledSchema<?> schema, List<? extends Event> events, NodeIdentity writer, String storeId,
                         String where) {
        int n = events.size();
        EventType[] types = new EventType[n];
        String[] payloads = new String[n];
        String[] eventIds = new String[n];
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
            eventIds[i] = EventIds.next();
        }
        String[] clientIds = new String[n];
        String[] sessionIds = new String[n];
        java.util.Arrays.fill(clientIds, writer.nodeId());
        java.util.Arrays.fill(sessionIds, writer.sessionId());
        return new EventBatch(events, types, null, payloads, clientIds, sessionIds, eventIds, null, 0);
    }

    /**
     * Checks and decodes events from an upstream log or a LiveStore client: numbered one after the other,
     * every name declared by the schema (or kept, when it {@linkplain CompiledSchema#keepsUnknownEvents()
     * keeps unknown events}: then an {@link UnrecognizedEvent}), every args text readable as its event.
     * Args are kept as they came.
     *
     * @throws IllegalArgumentException events not numbered one after the other
     * @throws UnknownEventException    an event name the schema does not declare and does not keep (Y8)
     * @throws InvalidEventException    args that are not the named event, or text SQLite cannot store
     */
    static EventBatch fromLog(CompiledSchema<?> schema, List<LogEvent> log, String storeId, String where) {
        int n = log.size();
        List<Event> events = new ArrayList<>(n);
        EventType[] types = new EventType[n];
        String[] names = new String[n];
        String[] args = new String[n];
        String[] clientIds = new String[n];
        String[] sessionIds = new String[n];
        String[] eventIds = new String[n];
        long[] createdAt = new long[n];
        long first = n == 0 ? 0 : log.get(0).seqNum();
        for (int i = 0; i < n; i++) {
            LogEvent e = log.get(i);
            if (e.seqNum() != first + i) {
                throw new IllegalArgumentException(where + ": events from the upstream log must be numbered one after "
                        + "the other; event #" + i + " has seqNum " + e.seqNum() + ", expected " + (first + i));
            }
            EventType t = ApiAccess.schemas().typeNamed(schema, e.name());
            if (t == null && schema.keepsUnknownEvents()) {
                if (EventType.loneSurrogateAt(e.args()) >= 0) {
                    throw new InvalidEventException(where + ": event " + e.seqNum() + " '" + e.name() + "' has args "
                            + "with a lone UTF-16 surrogate, which cannot be stored; nothing was written");
                }
                events.add(new UnrecognizedEvent(e.name(), e.args()));
                names[i] = e.name();
                args[i] = e.args();
                clientIds[i] = e.clientId();
                sessionIds[i] = e.sessionId();
                eventIds[i] = e.eventId();
                createdAt[i] = e.createdAt().toEpochMilli();
                continue;
            }
            if (t == null) {
                throw new UnknownEventException(where + ": event " + e.seqNum() + " '" + e.name() + "' of the log is "
                        + "not known to this node's schema (known: " + new TreeSet<>(schema.eventNames()) + "); the "
                        + "store takes no further events until the application knows it; nothing was written");
            }
            if (EventType.loneSurrogateAt(e.args()) >= 0) {
                throw new InvalidEventException(where + ": event " + e.seqNum() + " '" + e.name() + "' has args with a "
                        + "lone UTF-16 surrogate, which cannot be stored; nothing was written");
            }
            Event decoded;
            try {
                decoded = t.codec().decode(e.args());
            } catch (JsonProcessingException ex) {
                throw new InvalidEventException(where + ": event " + e.seqNum() + " '" + e.name() + "' has args that "
                        + "are not a valid '" + e.name() + "': " + ex.getOriginalMessage() + "; nothing was written", ex);
            }
            if (decoded == null) {
                throw new InvalidEventException(where + ": event " + e.seqNum() + " '" + e.name() + "' has null args; "
                        + "nothing was written");
            }
            t.validate(decoded, storeId, i);
            events.add(decoded);
            types[i] = t;
            names[i] = e.name();
            args[i] = e.args();
            clientIds[i] = e.clientId();
            sessionIds[i] = e.sessionId();
            eventIds[i] = e.eventId();
            createdAt[i] = e.createdAt().toEpochMilli();
        }
        return new EventBatch(events, types, names, args, clientIds, sessionIds, eventIds, createdAt, first);
    }
}
