package io.livestore.store.internal;

import io.livestore.store.Query;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Turns the result of a {@link Query}'s statement into the query's result: a list or an optional. */
final class QueryResults {

    private QueryResults() {
    }

    /** The parameters of {@code query}, not copied. */
    static Object[] args(Query<?> query) {
        return ApiAccess.queries().args(query);
    }

    /** Reads the result of {@code query}'s statement {@code p} (which keeps what its columns are). */
    @SuppressWarnings("unchecked")
    static <T> T read(Query<T> query, ResultSet rs, StatementCache.Prepared p) throws SQLException {
        ApiAccess.QueryParts parts = ApiAccess.queries();
        RowReader<?> rowReader = parts.rowReader(query);
        String sql = query.sql();
        if (parts.firstOnly(query)) {
            if (!rs.next()) {
                return (T) Optional.empty();
            }
            return (T) Optional.ofNullable(rowReader.read(rs, p.columnsFor(rowReader, rs, sql), sql));
        }
        List<Object> rows = new ArrayList<>();
        if (rs.next()) {
            Object columns = p.columnsFor(rowReader, rs, sql);
            do {
                rows.add(rowReader.read(rs, columns, sql));
            } while (rs.next());
        }
        return (T) Collections.unmodifiableList(rows);
    }
}
