package io.livestore.store.internal;

import io.livestore.store.CancellationSignal;
import io.livestore.store.StoreOpenException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Brings a log of format 1 ({@code seq, name, payload, committed_at}) to format 2 (Y1, {@link LogTable}),
 * in place, inside the boot transaction: a failure or cancellation anywhere in the boot leaves the file
 * as it was. The tables are not touched (their layout did not change).
 *
 * <p>What format 1 did not record is filled in so that it can be recognised: {@code client_id} and
 * {@code session_id} are {@value #MIGRATED_CLIENT_ID}; {@code event_id} is a name-based UUID (version 3) of
 * the definition, storeId, seq, name, time and payload, so the same file always migrates to the same ids,
 * and two copies of a store whose histories differ get different ids even at the same seq.
 * {@code created_at} is the old {@code committed_at}; args are the old payload, unchanged.
 */
final class LogFormatMigration {

    /** The clientId and sessionId of events migrated from format 1, whose writer was not recorded. */
    static final String MIGRATED_CLIENT_ID = "livestore-format-1";

    private static final int CANCEL_CHECK_EVERY = 1_000;

    private LogFormatMigration() {
    }

    /** Migrates the log; returns the number of events migrated. */
    static long fromFormat1(SqliteStore<?> store, Connection connection, CancellationSignal cancel) throws SQLException {
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(max(seq), 0), coalesce(min(seq), 1) "
                    + "FROM __livestore_events")) {
                rs.next();
                if (rs.getLong(1) != rs.getLong(2) || rs.getLong(3) != 1) {
                    throw new StoreOpenException(store.where() + ": the event log is damaged: it has " + rs.getLong(1)
                            + " events numbered " + rs.getLong(3) + " to " + rs.getLong(2) + ", not 1 to n without gaps");
                }
            }
            st.execute("ALTER TABLE __livestore_events RENAME TO __livestore_events_format1");
            st.execute(LogTable.CREATE);
        }
        long migrated = 0;
        String prefix = store.definitionName() + '\n' + store.storeId() + '\n';
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT seq, name, payload, committed_at FROM __livestore_events_format1 "
                     + "ORDER BY seq");
             PreparedStatement insert = connection.prepareStatement(LogTable.INSERT)) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                String name = rs.getString(2);
                String payload = rs.getString(3);
                long committedAt = rs.getLong(4);
                insert.setLong(1, seq);
                insert.setLong(2, seq - 1);
                insert.setString(3, name);
                insert.setString(4, payload);
                insert.setString(5, MIGRATED_CLIENT_ID);
                insert.setString(6, MIGRATED_CLIENT_ID);
                insert.setLong(7, committedAt);
                insert.setString(8, eventId(prefix, seq, name, committedAt, payload));
                insert.executeUpdate();
                if (++migrated % CANCEL_CHECK_EVERY == 0) {
                    StoreBoot.checkCancelled(store, cancel);
                }
            }
        }
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE __livestore_events_format1");
        }
        StoreBoot.checkCancelled(store, cancel);
        return migrated;
    }

    static String eventId(String prefix, long seq, String name, long committedAt, String payload) {
        String key = "livestore format-1 event\n" + prefix + seq + '\n' + name + '\n' + committedAt + '\n' + payload;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
