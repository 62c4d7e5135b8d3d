package io.livestore.store.internal;

import io.livestore.store.QueryException;
import io.livestore.store.RowMapper;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads the current row of a result set as one value. What a reader needs to know about a result's
 * columns ({@link #columns}) is resolved from that result itself and kept with the prepared statement
 * that produced it, never shared between statements: two stores may order the columns of the same
 * {@code SELECT *} differently.
 */
public interface RowReader<R> {

    /**
     * What {@link #read} needs to know about the columns of results of {@code rs}'s statement, for
     * example the position of each record component; null when it needs nothing.
     */
    default Object columns(ResultSet rs, String sql) throws SQLException {
        return null;
    }

    /** Reads the current row, given what {@link #columns} returned for this result's statement. */
    R read(ResultSet rs, Object columns, String sql) throws SQLException;

    /** A reader for {@code type}: a record mapped by column name, or a single supported column type. */
    @SuppressWarnings("unchecked")
    static <R> RowReader<R> forType(Class<R> type) {
        if (type.isRecord()) {
            return (RowReader<R>) RecordRowReader.of(type);
        }
        SqlValues.ColumnReader column = SqlValues.readerFor(type);
        if (column == null) {
            throw new QueryException("cannot map rows to " + type.getName()
                    + ": use a record whose components match the columns, a single-column type (String, Long, "
                    + "Integer, Double, Boolean, byte[], Instant, LocalDate, UUID, BigDecimal, enum), or a RowMapper");
        }
        return (rs, columns, sql) -> (R) column.read(rs, 1);
    }

    /** A reader that hands each row to an application mapper. */
    static <R> RowReader<R> forMapper(RowMapper<R> mapper) {
        return (rs, columns, sql) -> mapper.map(new ResultSetRow(rs, sql));
    }
}
