package io.livestore.store;

/**
 * Turns one event into SQL writes on the store's tables.
 *
 * <p>A materializer must be deterministic: it runs when the event is committed and again, in log
 * order, whenever the tables are rebuilt from the log. It must write only through the given
 * {@link Transaction}; whatever it throws rolls the whole commit back.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface Materializer<E extends Event> {
    /**
     * Applies {@code event} to the tables.
     *
     * @param event the event being committed or replayed
     * @param tx    the open transaction; valid only during this call
     * @throws Exception anything; the commit is then rolled back and reported as a {@link MaterializerException}
     */
    void materialize(E event, Transaction tx) throws Exception;
}
