/**
 * Implementations of the store layer's upstream SPI ({@link io.livestore.store.spi.Upstream}): PostgreSQL
 * as the shared event log of a cluster of nodes (DESIGN.md §8, Y1–Y5, Y9, Y11).
 *
 * <p>{@link io.livestore.sync.PostgresUpstream} keeps every store's log in two tables
 * ({@link io.livestore.sync.PostgresTables#DDL}), appends as compare-and-set on a store's head under
 * that store's row lock, announces appends with {@code NOTIFY} inside the append's transaction and
 * listens on one dedicated connection ({@link io.livestore.sync.ListenConnectionSource}). It takes a
 * {@link javax.sql.DataSource} (a server's JNDI DataSource) or, in Java SE, a JDBC URL (HikariCP);
 * {@link io.livestore.sync.PostgresUpstreamOptions} holds the timeouts that make an outage fail fast.
 *
 * <p>Layering (DESIGN.md §2): this package depends on {@code io.livestore.store} only and imports
 * nothing from {@code jakarta.*}; no layer of the library depends on it — an application (or its
 * configuration) creates the upstream and hands it to the registry through the store layer's SPI.
 * The PostgreSQL driver and HikariCP are optional dependencies of the library: the application (or
 * its server) provides them.
 */
package io.livestore.sync;
