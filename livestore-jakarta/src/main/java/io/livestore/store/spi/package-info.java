/**
 * The store layer's extension point for an upstream event log (DESIGN.md §2, §8): where a store's
 * authoritative log lives when it is not the local SQLite file, and how its changes are announced.
 *
 * <p>Without an upstream the local file is the authority (single-node mode). With one — PostgreSQL
 * in cluster mode ({@code io.livestore.sync}), an in-memory log in tests — every node's file is a
 * cache of the upstream log that can always be rebuilt from it:
 * <ul>
 *   <li>{@link io.livestore.store.spi.Upstream#append append} is a compare-and-set on a store's head
 *       (Y2): it writes only when the log's head is the expected one, and otherwise answers the events
 *       the caller is missing, in the same call;</li>
 *   <li>{@link io.livestore.store.spi.Upstream#pull pull} reads a log after a cursor;
 *       {@link io.livestore.store.spi.Upstream#heads heads} reads the heads of many stores at once (the
 *       periodic check of loaded stores);</li>
 *   <li>{@link io.livestore.store.spi.Upstream#listen listen} announces appends. Announcements only
 *       wake a node up: they may be late, merged or lost (then {@link
 *       io.livestore.store.spi.ChangeListener#resync resync} says so), and correctness never depends
 *       on them.</li>
 * </ul>
 * Every implementation passes the same contract test suite ({@code UpstreamContract} in the tests).
 */
package io.livestore.store.spi;
