package io.livestore.store;

/**
 * Maps one result row to a value, for queries whose result is not a record with matching columns.
 *
 * @param <R> the row type
 */
@FunctionalInterface
public interface RowMapper<R> {
    /** Builds the value of the current row. */
    R map(Row row);
}
