package io.livestore.store.internal;

import io.livestore.store.Query;
import io.livestore.store.QueryException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The query path of one {@link SqliteStore}: preparing and binding statements through its
 * {@link StatementCache}, running queries, and the checks that keep a query read-only (every query but a
 * materializer's may only read; tables change only through committed events). Separate from the store,
 * which keeps the state and the lock that commit, boot and close change, so the SQL handling shared by
 * {@link SqliteStore#query}, {@link Subscriptions} and {@link MaterializingTransaction} reads on its own.
 * Used under the store's lock only.
 */
final class SqliteQueries {

    private final SqliteStore<?> store;
    private final Connection connection;
    private final StatementCache statements;

    SqliteQueries(SqliteStore<?> store, Connection connection, StatementCache statements) {
        this.store = store;
        this.connection = connection;
        this.statements = statements;
    }

    /** A materializer's statement, prepared (or taken from the cache) with {@code args} bound. */
    StatementCache.Prepared prepare(String sql, Object[] args) throws SQLException {
        return bind(statement(sql), sql, args);
    }

    private StatementCache.Prepared statement(String sql) throws SQLException {
        try {
            return statements.get(sql);
        } catch (IllegalArgumentException e) {
            throw new QueryException(store.where() + ": statement '" + sql + "' was refused: " + e.getMessage(), e);
        }
    }

    private StatementCache.Prepared bind(StatementCache.Prepared p, String sql, Object[] args) throws SQLException {
        SqlValues.bindAll(p, sql, args, store.where());
        return p;
    }

    /**
     * Runs a query; {@code readOnly} (every query but a materializer's) first makes sure it is one
     * read-only statement — checked on the text before SQLite prepares it, since some PRAGMAs act
     * while being prepared, then on its plan.
     */
    <T> T run(Query<T> query, boolean readOnly) {
        String sql = query.sql();
        try {
            StatementCache.Prepared p = statements.cached(sql);
            if (readOnly && (p == null || !p.checkedRead)) {
                SqlText.requireSingleRead(sql, store.where());
            }
            p = bind(p != null ? p : statement(sql), sql, QueryResults.args(query));
            if (readOnly && !p.checkedRead) {
                if (p.writes == null) {
                    p.writes = store.dependencies().of(connection, sql, true);
                }
                if (!p.writes.isEmpty()) {
                    throw new QueryException(store.where() + ": query '" + sql + "' writes to the database; "
                            + "tables change only through committed events");
                }
                p.checkedRead = true;
            }
            try (ResultSet rs = p.statement.executeQuery()) {
                return QueryResults.read(query, rs, p);
            }
        } catch (SQLException e) {
            throw new QueryException(store.where() + ": query '" + sql + "' failed: " + e.getMessage(), e);
        }
    }

    /** The tables a subscription's query reads, once it is checked to be one read-only statement. */
    Tables reads(Query<?> query) {
        // Checked before anything is prepared: some PRAGMAs act while being compiled, EXPLAIN or not.
        SqlText.requireSingleRead(query.sql(), store.where());
        try {
            return store.dependencies().of(connection, query.sql(), false);
        } catch (SQLException e) {
            throw new QueryException(store.where() + ": query '" + query.sql() + "' failed: " + e.getMessage(), e);
        }
    }
}
