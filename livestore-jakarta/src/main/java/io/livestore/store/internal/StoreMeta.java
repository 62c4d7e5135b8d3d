package io.livestore.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A store file's metadata table: key–value text, written by the library only. Keys: {@code format} (the
 * log format, {@link StoreBoot#FORMAT_VERSION}), {@code definition} and {@code store_id} (whose file it
 * is), {@code schema_hash} (what the tables were built for), {@code backend_id} (the log's identity, Y1).
 * Used under the store's lock only.
 */
final class StoreMeta {

    static final String CREATE =
            "CREATE TABLE IF NOT EXISTS __livestore_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID";
    static final String FORMAT = "format";
    static final String DEFINITION = "definition";
    static final String STORE_ID = "store_id";
    static final String SCHEMA_HASH = "schema_hash";
    static final String BACKEND_ID = "backend_id";

    private StoreMeta() {
    }

    /** The value of {@code key}, or null. */
    static String get(StatementCache statements, String key) throws SQLException {
        PreparedStatement ps = statements.get("SELECT value FROM __livestore_meta WHERE key = ?").statement;
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void put(StatementCache statements, String key, String value) throws SQLException {
        PreparedStatement ps = statements.get("INSERT OR REPLACE INTO __livestore_meta (key, value) VALUES (?, ?)").statement;
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
    }
}
