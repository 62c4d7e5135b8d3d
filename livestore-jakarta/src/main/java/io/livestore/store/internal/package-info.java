/**
 * The store layer's implementation, not an API: the SQLite store and its pieces (boot and rebuild,
 * subscriptions, the materializing transaction, the statement cache, row mapping, value conversion,
 * table-dependency analysis, the event codec, how connections are made).
 *
 * <p><b>Contract.</b> Only the library's own packages use these types; applications, examples and
 * tests of applications use {@code io.livestore.store} only. Types here are public solely so that
 * the API package and the library's upper layers can reach them; they change without notice. The
 * API's non-public parts are reached through {@link io.livestore.store.internal.ApiAccess}. Unless a
 * class says otherwise, it is used under its store's lock and is not thread-safe on its own.
 */
package io.livestore.store.internal;
