/**
 * The sync layer (DESIGN.md §2, floor 2): implementations of the store layer's upstream SPI
 * ({@link io.livestore.store.spi.Upstream}) — where every store's authoritative event log lives when
 * several nodes share the stores (§8, Y1–Y12) — and their change notifiers.
 *
 * <p>Depends on the store layer only and imports nothing from {@code jakarta.*}, so it runs in plain
 * Java SE and in any server. No layer of the library depends on it (the registry never imports it): an
 * application, or its configuration, creates an upstream and plugs it in through the registry's
 * options, as an {@code Upstream}.
 *
 * <p>Public API:
 * <ul>
 *   <li>{@link io.livestore.sync.PostgresUpstream}: PostgreSQL as the shared log of a cluster (Y1–Y5,
 *       Y9, Y11). Four tables ({@link io.livestore.sync.PostgresTables#DDL}), appends as compare-and-set
 *       on a store's head under that store's row lock, {@code NOTIFY} inside the append's transaction
 *       when another node follows the store (the interest table),
 *       one dedicated LISTEN connection ({@link io.livestore.sync.ListenConnectionSource}). It takes a
 *       {@link javax.sql.DataSource} (a server's JNDI DataSource) or, in Java SE, a JDBC URL (HikariCP);
 *       {@link io.livestore.sync.PostgresUpstreamOptions} holds the timeouts that make an outage fail
 *       fast. The PostgreSQL driver and HikariCP are optional dependencies of the library: the
 *       application (or its server) provides them.</li>
 *   <li>{@link io.livestore.sync.InMemoryUpstream}: logs in this JVM's memory for tests and single-JVM
 *       demos (two registries sharing stores in one process).</li>
 * </ul>
 * Everything else here is package-private; {@code UpstreamArguments} holds the argument checks and the
 * retry decision that every implementation here shares, so that they agree to the letter on the SPI's
 * contract.
 */
package io.livestore.sync;
