package io.livestore.sync;

import io.livestore.store.spi.LogEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/** Log events to and from the events table, and the checks an append makes before it touches PostgreSQL. */
final class LogEvents {

    private LogEvents() {
    }

    /** What PostgreSQL text cannot hold, refused before anything is sent (the form is {@link UpstreamArguments}'). */
    static void requireStorable(String storeId, List<LogEvent> events) {
        for (LogEvent e : events) {
            String where = "event '" + e.name() + "' at seqNum " + e.seqNum() + " of store '" + storeId + "'";
            storable("the name of " + where, e.name(), storeId);
            storable("the args of " + where, e.args(), storeId);
            storable("the clientId of " + where, e.clientId(), storeId);
            storable("the sessionId of " + where, e.sessionId(), storeId);
            storable("the event id of " + where, e.eventId(), storeId);
        }
    }

    /** PostgreSQL text holds no NUL character, and a lone surrogate has no UTF-8 form: refuse both, naming the part. */
    private static void storable(String what, String text, String storeId) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == 0) {
                throw new IllegalArgumentException(what + " contains a NUL character, which PostgreSQL text cannot hold");
            }
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw new IllegalArgumentException(what + " contains a lone UTF-16 surrogate at index " + i
                        + ", which has no UTF-8 form");
            }
        }
    }

    /** The event table's columns after {@code store_id}, in the order of {@link #bind} and {@link #readAll}. */
    static final String COLUMNS = "seq_num, parent_seq_num, name, args, client_id, session_id, created_at, event_id";

    /** Parameters {@link #bind} sets. */
    static final int BOUND_COLUMNS = 8;

    /** Binds seq_num ... event_id from {@code index} on, in {@code COLUMNS} order. */
    static void bind(PreparedStatement ps, int index, LogEvent e) throws SQLException {
        ps.setLong(index, e.seqNum());
        ps.setLong(index + 1, e.parentSeqNum());
        ps.setString(index + 2, e.name());
        ps.setString(index + 3, e.args());
        ps.setString(index + 4, e.clientId());
        ps.setString(index + 5, e.sessionId());
        ps.setObject(index + 6, OffsetDateTime.ofInstant(e.createdAt(), ZoneOffset.UTC));
        ps.setString(index + 7, e.eventId());
    }

    /** At most {@code limit} events of the store after {@code afterSeqNum}, in order. */
    static List<LogEvent> readAfter(Connection c, String eventTable, String storeId, long afterSeqNum, int limit,
                                    int queryTimeoutSeconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + eventTable
                + " WHERE store_id = ? AND seq_num > ? ORDER BY seq_num LIMIT ?")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, storeId);
            ps.setLong(2, afterSeqNum);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return readAll(rs);
            }
        }
    }

    /** Every row of a result in {@code COLUMNS} order. */
    static List<LogEvent> readAll(ResultSet rs) throws SQLException {
        List<LogEvent> events = new ArrayList<>();
        while (rs.next()) {
            events.add(new LogEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(8)));
        }
        return events;
    }

    /**
     * For a failed insert: throws the caller's error behind it — an event id already in the log elsewhere,
     * or args that are not JSON, naming the event — and otherwise returns {@code failure} for the caller to
     * throw. Ends a failed transaction first (then {@code c} is in autocommit, to look for the event in question).
     */
    static SQLException refusedOr(Connection c, String eventTable, String storeId, List<LogEvent> events,
                                  SQLException failure) throws SQLException {
        String state = UpstreamFailures.state(failure);
        if (UpstreamFailures.INVALID_TEXT.equals(state)) {
            endFailedTransaction(c);
            throw new IllegalArgumentException("store '" + storeId + "': the args of " + notJson(c, events)
                    + " are not valid JSON");
        }
        if (UpstreamFailures.UNIQUE_VIOLATION.equals(state)) {
            // decided by looking the ids up, not by the constraint's name: a batch's failure message names
            // every column, and an operator's tables may name their constraints as they like
            endFailedTransaction(c);
            IllegalArgumentException elsewhere = elsewhere(c, eventTable, storeId, events);
            if (elsewhere != null) {
                throw elsewhere;
            }
            throw new IllegalStateException("store '" + storeId + "': the shared log holds events beyond its recorded "
                    + "head; the log's tables were changed by hand");
        }
        return failure;
    }

    /** Rolls back the failed transaction, if the statement ran in one (an autocommit statement rolled itself back). */
    private static void endFailedTransaction(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * The first event whose args PostgreSQL refuses as json (asked one by one: this is the error path only).
     * Only the json refusal (22P02) blames an event; any other failure of the question is thrown as it is.
     */
    private static String notJson(Connection c, List<LogEvent> events) throws SQLException {
        for (LogEvent e : events) {
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::json IS NOT NULL")) {
                ps.setString(1, e.args());
                ps.execute();
            } catch (SQLException refused) {
                if (UpstreamFailures.INVALID_TEXT.equals(UpstreamFailures.state(refused))) {
                    return "event '" + e.name() + "' at seqNum " + e.seqNum();
                }
                throw refused;
            }
        }
        return "one of the events";
    }

    /** The refusal of the batch's first event whose id the log holds at another position, or null when none is. */
    private static IllegalArgumentException elsewhere(Connection c, String eventTable, String storeId,
                                                      List<LogEvent> events) throws SQLException {
        Map<String, LogEvent> byId = new HashMap<>();
        for (LogEvent e : events) {
            byId.put(e.eventId(), e);
        }
        Array ids = c.createArrayOf("text", byId.keySet().toArray());
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id, seq_num FROM " + eventTable
                + " WHERE store_id = ? AND event_id = ANY (?) ORDER BY seq_num LIMIT 1")) {
            ps.setString(1, storeId);
            ps.setArray(2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return UpstreamArguments.eventIdElsewhere(storeId, byId.get(rs.getString(1)), rs.getLong(2));
                }
            }
        } finally {
            ids.free();
        }
        return null;
    }
}
