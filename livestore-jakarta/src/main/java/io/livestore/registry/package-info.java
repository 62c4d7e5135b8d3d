/**
 * The store registry: loads a store on first use, shares it while anything retains it and disposes it
 * after its unusedCacheTime (DESIGN.md R1–R16). Framework-agnostic (no {@code jakarta.*}).
 *
 * <p>Public API: {@link io.livestore.registry.StoreRegistry}, {@link io.livestore.registry.StoreLease},
 * {@link io.livestore.registry.StoreDefinition}, {@link io.livestore.registry.RegistryOptions}, the
 * observation records ({@link io.livestore.registry.RegistryStats}, {@link io.livestore.registry.RegistrySnapshot},
 * {@link io.livestore.registry.StoreSnapshot}, {@link io.livestore.registry.StoreState},
 * {@link io.livestore.registry.DisposalCause}) and the exceptions. Everything else here is package-private:
 * the entry's state machine ({@code RegistryEntry}, {@code EntryLifecycle}, {@code EntryLoading}), the
 * bound, the counters, the threads and the system scheduler; Java's access rules already keep them out of
 * users' reach, so they need no {@code internal} package. Extension points are in {@link io.livestore.registry.spi}.
 *
 * <p>A store handed out stays usable for its access: while retained, and for at least
 * {@link io.livestore.registry.StoreRegistry#HAND_OUT_HOLD} after an unretained access.
 *
 * <p>Cluster mode ({@link io.livestore.registry.RegistryOptions.Builder#upstream}, DESIGN.md §8 Y4–Y8,
 * Y12): the stores commit through the store layer's {@link io.livestore.store.spi.Upstream}, and the
 * package-private {@code UpstreamFollower} (one listener per registry, catch-ups on registry threads, the
 * periodic head check) and {@code UpstreamCopies} (a cache file checked against its log, rebuilt or
 * pushed when loading) keep every loaded store a copy of its log. The registry never imports
 * {@code io.livestore.sync}: any upstream is plugged in through the options.
 */
package io.livestore.registry;
