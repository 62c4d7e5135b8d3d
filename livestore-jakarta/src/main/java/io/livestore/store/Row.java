package io.livestore.store;

/**
 * One result row, for a {@link RowMapper}. Columns are addressed by their label in the query
 * (the {@code AS} name, else the column name). Values are converted as in {@link Transaction#execute}.
 */
public interface Row {
    /** The column as text, or {@code null}. */
    String getString(String column);

    /** The column as a long; {@code 0} when SQL NULL. */
    long getLong(String column);

    /** The column as an int; {@code 0} when SQL NULL. */
    int getInt(String column);

    /** The column as a double; {@code 0} when SQL NULL. */
    double getDouble(String column);

    /** The column as a boolean (non-zero is true). */
    boolean getBoolean(String column);

    /** The column as bytes, or {@code null}. */
    byte[] getBytes(String column);

    /** True when the column is SQL NULL. */
    boolean isNull(String column);

    /** The column converted to any supported type (boxed numbers, Instant, UUID, enums, ...). */
    <T> T get(String column, Class<T> type);
}
