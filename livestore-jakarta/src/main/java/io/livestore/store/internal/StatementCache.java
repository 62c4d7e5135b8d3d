package io.livestore.store.internal;

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
        /** The tables it writes, once asked. */
        Tables writes;
        /** True once checked to be a single read-only statement ({@link io.livestore.store.Store#query}). */
        boolean checkedRead;
        // What one row reader resolved from this statement's result columns. A prepared statement's
        // columns do not change (the cache is emptied after DDL), so this is exact; one entry, since a
        // statement is almost always read by one reader.
        private RowReader<?> columnsOwner;
        private Object columns;

        Prepared(PreparedStatement statement, int parameterCount) {
            this.statement = statement;
            this.parameterCount = parameterCount;
        }

        /** What {@code reader} needs of this statement's result columns, resolved from {@code rs} once. */
        Object columnsFor(RowReader<?> reader, java.sql.ResultSet rs, String sql) throws SQLException {
            if (columnsOwner != reader) {
                columns = reader.columns(rs, sql);
                columnsOwner = reader;
            }
            return columns;
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

    /**
     * The prepared statement for {@code sql}, preparing it on first use.
     *
     * @throws IllegalArgumentException when the text holds several statements: SQLite would run only the first
     */
    Prepared get(String sql) throws SQLException {
        Prepared p = cache.get(sql);
        if (p == null) {
            if (SqlText.hasSeveralStatements(sql)) {
                throw new IllegalArgumentException("it holds several statements, and only the first would run; "
                        + "run one statement per call");
            }
            PreparedStatement ps = connection.prepareStatement(sql);
            p = new Prepared(ps, ps.getParameterMetaData().getParameterCount());
            cache.put(sql, p);
        }
        return p;
    }

    /** The statement for {@code sql} if it is already prepared, else null (prepares nothing). */
    Prepared cached(String sql) {
        return cache.get(sql);
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
