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
     * <p>Once the transaction is durable the commit has succeeded, whatever subscribers then do (see
     * {@link #subscribe}): this method returns the new head even when a listener throws. A listener may
     * itself call {@code commit} on this store: that commit runs at once as its own transaction after
     * the outer one, and returns its head (or throws its failure) to the listener; its deliveries follow
     * once the current delivery round has reached every subscriber, still before the outermost
     * {@code commit} returns. A materializer must not call {@code commit} (it writes through its
     * {@link Transaction}); doing so fails that commit with a {@link MaterializerException}.
     *
     * @return the new head sequence number (the current head when {@code events} is empty)
     * @throws UnknownEventException  an event type the schema does not declare
     * @throws InvalidEventException  {@code null} in a required component, an unencodable event, or text
     *                                with a lone UTF-16 surrogate (which SQLite cannot store)
     * @throws MaterializerException  a materializer threw; its detail says which event and why in the
     *                                sender's terms, the cause holds the technical failure
     * @throws CommitFailedException  SQLite refused the transaction
     * @throws StoreClosedException   the store is closed
     */
    long commit(Event... events);

    /** {@link #commit(Event...)} for a list. */
    long commit(List<? extends Event> events);

    /**
     * Runs a read-only query against the current state. A query is exactly one SELECT, WITH or VALUES
     * statement: writes, PRAGMAs and other statements that change the connection or the file are
     * refused, and so is text holding several statements (SQLite would run only the first). Trailing
     * semicolons and comments are fine.
     *
     * @throws QueryException invalid SQL, a statement that is not one read, or rows that do not fit the result type
     */
    <T> T query(Query<T> query);

    /**
     * Delivers the query's current result to {@code onResult} at once (on the calling thread), and again
     * after each commit that changes it (on the committing thread, before {@code commit} returns).
     * Only queries that read a table the commit wrote are re-run, and only a result that differs
     * ({@code equals}) is delivered. Keep listeners short: hand slow work to an executor.
     *
     * <p>Deliveries happen after the commit is durable, so nothing a listener does changes the commit's
     * outcome or what the other subscribers get: anything it throws after the first delivery, an
     * {@link Error} included, is logged and the listener stays subscribed (an exception from the first
     * delivery is thrown to the caller of {@code subscribe}, which is then not subscribed). A listener
     * may commit to this store; it is never re-entered for that commit: the commit's deliveries run in a
     * new round once the current round has reached every subscriber, repeated until no listener commits.
     * A round delivers the state after every commit made so far, so a subscriber may skip an
     * intermediate result, never the last one. A listener that commits on every delivery loops forever.
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
