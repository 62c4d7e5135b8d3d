package io.livestore.store.internal;

import io.livestore.store.CommittedEvent;
import io.livestore.store.CompiledSchema;
import io.livestore.store.Event;
import io.livestore.store.StoreRebuildException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads a store's event log back into events. Used under the store's lock only. */
final class EventLog {

    static final String INSERT_EVENT =
            "INSERT INTO __livestore_events (seq, name, payload, committed_at) VALUES (?, ?, ?, ?)";
    static final String SELECT_EVENTS =
            "SELECT seq, name, payload, committed_at FROM __livestore_events WHERE seq > ? ORDER BY seq LIMIT ?";

    private EventLog() {
    }

    /** At most {@code limit} events after {@code afterSeq}, in order. */
    static List<CommittedEvent> read(StatementCache statements, CompiledSchema<?> schema, String storeId,
                                     long afterSeq, int limit) throws SQLException {
        PreparedStatement ps = statements.get(SELECT_EVENTS).statement;
        ps.setLong(1, afterSeq);
        ps.setLong(2, limit);
        List<CommittedEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                String name = rs.getString(2);
                out.add(new CommittedEvent(seq, name, decode(schema, storeId, seq, name, rs.getString(3)),
                        Instant.ofEpochMilli(rs.getLong(4))));
            }
        }
        return out;
    }

    private static Event decode(CompiledSchema<?> schema, String storeId, long seq, String name, String payload) {
        EventType t = ApiAccess.schemas().typeNamed(schema, name);
        if (t == null) {
            throw new StoreRebuildException("store '" + storeId + "': event " + seq + " in the log is '" + name
                    + "', which schema " + schema.schemaClass().getName() + " no longer declares; keep a record"
                    + " and materializer for every event name a log may contain");
        }
        try {
            return t.codec().decode(payload);
        } catch (JsonProcessingException e) {
            throw new StoreRebuildException("store '" + storeId + "': event " + seq + " '" + name
                    + "' cannot be decoded into " + t.javaType().getName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
