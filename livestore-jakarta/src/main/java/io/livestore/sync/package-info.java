/**
 * The sync layer (DESIGN.md §2, floor 2): implementations of the store layer's upstream SPI
 * ({@link io.livestore.store.spi.Upstream}) — where every store's authoritative event log lives when
 * several nodes share the stores (§8, Y1–Y12) — and their change notifiers.
 *
 * <p>Depends on the store layer only and imports nothing from {@code jakarta.*}, so it runs in plain
 * Java SE and in any server. The registry never imports it: an upstream is plugged in through the
 * registry's options, as an {@code Upstream}.
 *
 * <p>Public API: {@link io.livestore.sync.InMemoryUpstream}, logs in this JVM's memory for tests and
 * single-JVM demos (two registries sharing stores in one process). Everything else here is
 * package-private; {@code UpstreamArguments} holds the argument checks and the retry decision that
 * every implementation here shares, so that they agree to the letter on the SPI's contract.
 */
package io.livestore.sync;
