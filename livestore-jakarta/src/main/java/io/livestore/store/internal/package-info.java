/**
 * The store layer's implementation, not an API: the SQLite store and its pieces (the query path, boot
 * and rebuild, subscriptions, the materializing transaction, the statement cache, row mapping, value
 * conversion, table-dependency analysis, the event codec, how connections are made).
 *
 * <p><b>Contract.</b> Only the library's own packages use these types; applications, examples and
 * tests of applications use {@code io.livestore.store} only. Types here are public solely so that
 * the API package and the library's upper layers can reach them; they change without notice. The
 * API's non-public parts are reached through {@link io.livestore.store.internal.ApiAccess}. Unless a
 * class says otherwise, it is used under its store's lock and is not thread-safe on its own.
 *
 * <p>{@link io.livestore.store.internal.LocalLog} is the one entry point meant for the layers above: a
 * loaded store's log in the upstream SPI's shape (read after a cursor, apply events from an upstream log,
 * adopt its backendId), which the registry and the sync layer use to keep a store a copy of its upstream
 * log (DESIGN.md Y1, Y4–Y6, Y8), including {@code catchUp()}. A store opened with an upstream commits
 * through {@code UpstreamCommits} (the Y3 commit path: append inside the local transaction, before its
 * COMMIT). The file layout (log format 2) is described in {@code LogTable},
 * {@code StoreMeta} and {@code LogFormatMigration}.
 */
package io.livestore.store.internal;
