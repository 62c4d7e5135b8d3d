package io.livestore.store.internal;

import io.livestore.store.CommittedEvent;
import io.livestore.store.CompiledSchema;
import io.livestore.store.Event;
import io.livestore.store.StoreRebuildException;
import io.livestore.store.UnrecognizedEvent;
import io.livestore.store.spi.LogEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A store's event log table in log format 2 (Y1): one row per event, in the shape of
 * {@link LogEvent}. {@code args} is the event's JSON text exactly as its writer wrote it: stored and read
 * back as text, never re-encoded, so an event from an upstream log reads back byte for byte. The head is
 * the log's largest {@code seq_num} (the rowid: one B-tree step), not a copy in the metadata that could
 * disagree with it. Used under the store's lock only.
 */
final class LogTable {

    static final String CREATE = "CREATE TABLE __livestore_events ("
            + "seq_num INTEGER PRIMARY KEY, "
            + "parent_seq_num INTEGER NOT NULL CHECK (parent_seq_num = seq_num - 1), "
            + "name TEXT NOT NULL, "
            + "args TEXT NOT NULL, "
            + "client_id TEXT NOT NULL, "
            + "session_id TEXT NOT NULL, "
            + "created_at INTEGER NOT NULL, "
            + "event_id TEXT NOT NULL UNIQUE)";
    static final String INSERT = "INSERT INTO __livestore_events "
            + "(seq_num, parent_seq_num, name, args, client_id, session_id, created_at, event_id) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT seq_num, name, args, client_id, session_id, created_at, event_id "
            + "FROM __livestore_events WHERE seq_num > ? ORDER BY seq_num LIMIT ?";

    private LogTable() {
    }

    /** The log's head: its last seqNum, 0 when empty. */
    static long head(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(seq_num), 0) FROM __livestore_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** At most {@code limit} events after {@code afterSeq}, in order, decoded with the schema's codecs. */
    static List<CommittedEvent> readCommitted(StatementCache statements, CompiledSchema<?> schema, String storeId,
                                              long afterSeq, int limit) throws SQLException {
        List<CommittedEvent> out = new ArrayList<>();
        try (ResultSet rs = select(statements, afterSeq, limit)) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                String name = rs.getString(2);
                out.add(new CommittedEvent(seq, name, decode(schema, storeId, seq, name, rs.getString(3)),
                        Instant.ofEpochMilli(rs.getLong(6)), rs.getString(4), rs.getString(5), rs.getString(7)));
            }
        }
        return out;
    }

    /** At most {@code limit} events after {@code afterSeq}, in order, as the log keeps them (nothing decoded). */
    static List<LogEvent> readLog(StatementCache statements, long afterSeq, int limit) throws SQLException {
        List<LogEvent> out = new ArrayList<>();
        try (ResultSet rs = select(statements, afterSeq, limit)) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                out.add(new LogEvent(seq, seq - 1, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7)));
            }
        }
        return out;
    }

    private static ResultSet select(StatementCache statements, long afterSeq, int limit) throws SQLException {
        PreparedStatement ps = statements.get(SELECT).statement;
        ps.setLong(1, afterSeq);
        ps.setLong(2, limit);
        return ps.executeQuery();
    }

    private static Event decode(CompiledSchema<?> schema, String storeId, long seq, String name, String args) {
        EventType t = ApiAccess.schemas().typeNamed(schema, name);
        if (t == null && schema.keepsUnknownEvents()) {
            return new UnrecognizedEvent(name, args);
        }
        if (t == null) {
            throw new StoreRebuildException("store '" + storeId + "': event " + seq + " in the log is '" + name
                    + "', which schema " + schema.schemaClass().getName() + " no longer declares; keep a record"
                    + " and materializer for every event name a log may contain, or let the schema keep unknown events");
        }
        try {
            return t.codec().decode(args);
        } catch (JsonProcessingException e) {
            throw new StoreRebuildException("store '" + storeId + "': event " + seq + " '" + name
                    + "' cannot be decoded into " + t.javaType().getName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
