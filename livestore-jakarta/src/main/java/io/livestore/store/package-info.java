/**
 * The store layer's public API: one storeId's event log and the SQLite tables materialized from it.
 *
 * <p>Declare a {@link io.livestore.store.Schema} (tables, and a
 * {@link io.livestore.store.Materializer} per {@link io.livestore.store.Event} record named with
 * {@link io.livestore.store.EventName}), open stores with a {@link io.livestore.store.StoreOpener}
 * configured by {@link io.livestore.store.StoreSettings}, then {@link io.livestore.store.Store#commit
 * commit} events, {@link io.livestore.store.Store#query query} with a {@link io.livestore.store.Query}
 * and {@link io.livestore.store.Store#subscribe subscribe} to results.
 *
 * <p><b>Contract</b> (DESIGN.md S1–S7): a commit's log rows and table writes are one SQLite
 * transaction (S1); events are validated before anything is written (S2); tables are rebuilt from
 * the log when the schema hash changes (S3); subscribers get the current result, then each changed
 * result after a durable commit, and nothing a listener does changes a commit's outcome (S4);
 * storeIds are validated before any file is touched (S5); commits of one store are serialized (S6);
 * a closed store releases its files (S7). A query is one read-only statement.
 *
 * <p>Everything this package throws on purpose extends {@link io.livestore.store.LiveStoreException}
 * and carries a stable message id. Types in {@code io.livestore.store.internal} are the
 * implementation: applications must not use them, and they change without notice.
 */
package io.livestore.store;
