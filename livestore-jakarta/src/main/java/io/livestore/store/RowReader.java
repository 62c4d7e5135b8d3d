package io.livestore.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the current row of a result set as one value; made once per query shape. */
interface RowReader<R> {

    R read(ResultSet rs, String sql) throws SQLException;

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
        return (rs, sql) -> (R) column.read(rs, 1);
    }

    /** A reader that hands each row to an application mapper. */
    static <R> RowReader<R> forMapper(RowMapper<R> mapper) {
        return (rs, sql) -> mapper.map(new ResultSetRow(rs, sql));
    }
}
