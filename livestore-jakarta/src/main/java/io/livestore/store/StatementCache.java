package io.livestore.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one connection by SQL text, least recently used evicted. Preparing is most
 * of the cost of a point query, so every statement the store runs goes through here. Not thread-safe:
 * the store's lock guards it.
 */
final class StatementCache {

    /** A cached statement with facts learned about it once. */
    static final class Prepared {
        final PreparedStatement statement;
        final int parameterCount;
        Tables writes;

        Prepared(PreparedStatement statement, int parameterCount) {
            this.statement = statement;
            this.parameterCount = parameterCount;
        }
    }

    private final Connection connection;
    private final Map<String, Prepared> cache;

    StatementCache(Connection connection, int capacity) {
        this.connection = connection;
        this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
                if (size() > capacity) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    Prepared get(String sql) throws SQLException {
        Prepared p = cache.get(sql);
        if (p == null) {
            PreparedStatement ps = connection.prepareStatement(sql);
            p = new Prepared(ps, ps.getParameterMetaData().getParameterCount());
            cache.put(sql, p);
        }
        return p;
    }

    void closeAll() {
        for (Prepared p : cache.values()) {
            closeQuietly(p);
        }
        cache.clear();
    }

    private static void closeQuietly(Prepared p) {
        try {
            p.statement.close();
        } catch (SQLException ignored) {
            // The connection is closing or the statement is already gone; nothing to release.
        }
    }
}
