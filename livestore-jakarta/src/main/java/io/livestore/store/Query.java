package io.livestore.store;

import io.livestore.store.internal.ApiAccess;
import io.livestore.store.internal.RowReader;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A read of a store's tables: SQL with positional parameters and how to turn rows into a result.
 *
 * <pre>{@code
 * record IssueRow(String id, String title) {}
 * List<IssueRow> open = store.query(Query.of(IssueRow.class, "SELECT id, title FROM issue WHERE closed = ?", false));
 * Optional<String> title = store.query(Query.first(String.class, "SELECT title FROM issue WHERE id = ?", id));
 * }</pre>
 *
 * <p>Rows map to a record by column label, to a single-column type, or through a {@link RowMapper}.
 * Parameters are converted as in {@link Transaction#execute}. Queries are immutable values; results
 * are lists or optionals with value equality, which is what lets subscriptions notify only on change.
 *
 * @param <T> the result type
 */
public final class Query<T> {

    static {
        ApiAccess.register(new ApiAccess.QueryParts() {
            @Override
            public Object[] args(Query<?> query) {
                return query.args;
            }

            @Override
            public RowReader<?> rowReader(Query<?> query) {
                return query.rowReader;
            }

            @Override
            public boolean firstOnly(Query<?> query) {
                return query.firstOnly;
            }
        });
    }

    private final String sql;
    private final Object[] args;
    private final RowReader<?> rowReader;
    private final boolean firstOnly;

    private Query(String sql, Object[] args, RowReader<?> rowReader, boolean firstOnly) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.args = args == null ? new Object[] {null} : args.clone();
        this.rowReader = rowReader;
        this.firstOnly = firstOnly;
    }

    /** All rows, each mapped to {@code rowType} (a record, or a single-column type such as String). */
    public static <R> Query<List<R>> of(Class<R> rowType, String sql, Object... args) {
        return new Query<>(sql, args, RowReader.forType(Objects.requireNonNull(rowType, "rowType")), false);
    }

    /** All rows, each mapped by {@code mapper}. */
    public static <R> Query<List<R>> of(RowMapper<R> mapper, String sql, Object... args) {
        return new Query<>(sql, args, RowReader.forMapper(Objects.requireNonNull(mapper, "mapper")), false);
    }

    /** The first row, if any, mapped to {@code rowType}. */
    public static <R> Query<Optional<R>> first(Class<R> rowType, String sql, Object... args) {
        return new Query<>(sql, args, RowReader.forType(Objects.requireNonNull(rowType, "rowType")), true);
    }

    /** The first row, if any, mapped by {@code mapper}. */
    public static <R> Query<Optional<R>> first(RowMapper<R> mapper, String sql, Object... args) {
        return new Query<>(sql, args, RowReader.forMapper(Objects.requireNonNull(mapper, "mapper")), true);
    }

    /** The SQL text. */
    public String sql() {
        return sql;
    }

    /** The parameters, in order. */
    public List<Object> args() {
        return Collections.unmodifiableList(Arrays.asList(args));
    }

    @Override
    public String toString() {
        return "Query[" + sql + (args.length == 0 ? "" : ", args=" + Arrays.toString(args)) + "]";
    }
}
