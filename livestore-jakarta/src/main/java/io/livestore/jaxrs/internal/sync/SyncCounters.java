package io.livestore.jaxrs.internal.sync;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the sync endpoint did since it started, for operations (issue 13 exports these as metrics): pushes
 * accepted, behind the head (answered {@code ServerAheadError}), refused; events accepted; and the events it
 * kept without materializing because the Java schema does not declare their names (L4: kept, forwarded,
 * counted). The first such event of each name and definition is also logged, once, at INFO: it usually means
 * the JavaScript schema has an event the Java one does not model (yet).
 */
public final class SyncCounters {

    private static final System.Logger LOG = System.getLogger(SyncCounters.class.getName());

    final LongAdder connections = new LongAdder();
    final LongAdder pushesAccepted = new LongAdder();
    final LongAdder pushesBehind = new LongAdder();
    final LongAdder pushesRefused = new LongAdder();
    final LongAdder eventsAccepted = new LongAdder();
    final LongAdder unknownEventsKept = new LongAdder();
    private final Set<String> unknownNamesSeen = ConcurrentHashMap.newKeySet();

    /** Connections opened. */
    public long connections() {
        return connections.sum();
    }

    /** Pushes written. */
    public long pushesAccepted() {
        return pushesAccepted.sum();
    }

    /** Pushes not at the head, answered with {@code ServerAheadError} (the client rebases). */
    public long pushesBehind() {
        return pushesBehind.sum();
    }

    /** Pushes refused as bad input or because the store could not take them (answered {@code UnknownError}). */
    public long pushesRefused() {
        return pushesRefused.sum();
    }

    /** Events of accepted pushes. */
    public long eventsAccepted() {
        return eventsAccepted.sum();
    }

    /** Events of accepted pushes whose names the Java schema does not declare: kept and forwarded, not materialized. */
    public long unknownEventsKept() {
        return unknownEventsKept.sum();
    }

    /** Counts one kept unknown event; logs its name the first time per definition. */
    void keptUnknown(String definition, String name) {
        unknownEventsKept.increment();
        if (unknownNamesSeen.add(definition + "\u0000" + name)) {
            LOG.log(Level.INFO, "definition '" + definition + "': LiveStore clients write event '" + name + "', which its "
                    + "Java schema does not declare; such events are kept and sent to clients, not materialized");
        }
    }
}
