package io.livestore.store;

/**
 * The write handle a {@link Materializer} receives: SQL with bound parameters, inside the commit's
 * single SQLite transaction. It is valid only for the duration of the materializer call.
 */
public interface Transaction {

    /**
     * Executes one SQL write (INSERT, UPDATE, DELETE, ...) with positional parameters.
     *
     * <p>Parameters may be {@code null}, {@link String}, {@link Integer}, {@link Long}, {@link Double},
     * {@link Float}, {@link Short}, {@link Boolean} (stored as 0/1), {@code byte[]},
     * {@link java.time.Instant} (stored as epoch milliseconds), {@link java.time.LocalDate} (ISO text),
     * {@link java.util.UUID}, {@link java.math.BigDecimal} and enums (stored as text).
     *
     * @return the number of rows changed
     */
    int execute(String sql, Object... args);

    /** Reads the tables as this transaction sees them (including its own writes). */
    <T> T query(Query<T> query);

    /** The sequence number the current event gets in the log. */
    long seq();

    /** The id of the store being written. */
    String storeId();
}
