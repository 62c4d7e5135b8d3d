package io.livestore.store;

import java.util.List;
import java.util.function.Consumer;

/**
 * One storeId's data: an append-only event log and the SQLite tables materialized from it.
 *
 * <p>All methods are thread-safe. Commits are serialized; a query sees the state after the last
 * acknowledged commit. Every method of a closed store throws {@link StoreClosedException}, except
 * {@link #close()}, {@link #isClosed()} and the identity accessors.
 *
 * @param <S> the schema: which events and tables this store has
 */
public interface Store<S extends Schema> extends AutoCloseable {

    /** The store's id, unique within its definition's data directory. */
    String storeId();

    /** The name of the definition this store belongs to (its folder in the data directory). */
    String definitionName();

    /** The sequence number of the last committed event; 0 for an empty log. */
    long head();

    /**
     * Appends events to the log and applies their materializers, all in one SQLite transaction (S1).
     * Events are validated before anything is written (S2). On any failure nothing of the commit is
     * in the log or the tables and the store stays usable.
     *
     * @return the new head sequence number (the current head when {@code events} is empty)
     * @throws UnknownEventException  an event type the schema does not declare
     * @throws InvalidEventException  {@code null} in a required component, or an unencodable event
     * @throws MaterializerException  a materializer threw; the cause is attached
     * @throws CommitFailedException  SQLite refused the transaction
     * @throws StoreClosedException   the store is closed
     */
    long commit(Event... events);

    /** {@link #commit(Event...)} for a list. */
    long commit(List<? extends Event> events);

    /**
     * Runs a read-only query against the current state.
     *
     * @throws QueryException invalid SQL, a write statement, or rows that do not fit the result type
     */
    <T> T query(Query<T> query);

    /**
     * Delivers the query's current result to {@code onResult} at once (on the calling thread), and again
     * after each commit that changes it (on the committing thread, before {@code commit} returns).
     * Only queries that read a table the commit wrote are re-run, and only a result that differs
     * ({@code equals}) is delivered. An exception from {@code onResult} after the first delivery is logged
     * and does not affect the commit or other subscribers. Keep listeners short: hand slow work to an executor.
     *
     * @return a handle whose {@code close()} ends the subscription
     */
    <T> Subscription subscribe(Query<T> query, Consumer<? super T> onResult);

    /** The events after {@code seq}, in order: {@code eventsSince(0)} is the whole log. */
    List<CommittedEvent> eventsSince(long seq);

    /** At most {@code limit} events after {@code seq}, in order. */
    List<CommittedEvent> eventsSince(long seq, int limit);

    /** What opening this store did (created, opened, rebuilt, how long). */
    BootReport bootReport();

    /** True once {@link #close()} has run (or a fatal storage error closed the store). */
    boolean isClosed();

    /**
     * Waits for an in-flight commit, ends subscriptions and releases the files (S7). Idempotent.
     */
    @Override
    void close();
}
