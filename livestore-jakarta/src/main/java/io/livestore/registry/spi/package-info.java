/**
 * Extension points of the registry, implemented by applications, frameworks or tests and passed in
 * through {@link io.livestore.registry.RegistryOptions}: {@link io.livestore.registry.spi.Scheduler} (the
 * clock and timers) and {@link io.livestore.registry.spi.StoreLoader} (how a store is opened). Their
 * contracts are stable; the registry calls them, applications do not.
 */
package io.livestore.registry.spi;
