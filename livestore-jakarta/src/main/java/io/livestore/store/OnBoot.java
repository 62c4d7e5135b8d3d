package io.livestore.store;

/**
 * Runs once after a store has been opened (and rebuilt if needed), before anyone else sees it; for
 * example to seed a new store. If it throws, the store is closed and the open fails.
 *
 * @param <S> the schema
 */
@FunctionalInterface
public interface OnBoot<S extends Schema> {
    /** A hook that does nothing. */
    static <S extends Schema> OnBoot<S> none() {
        return (store, report) -> { };
    }

    /**
     * @param store  the freshly opened store
     * @param report what opening it did
     * @throws Exception anything; the open then fails with a {@link StoreOpenException}
     */
    void onBoot(Store<S> store, BootReport report) throws Exception;
}
