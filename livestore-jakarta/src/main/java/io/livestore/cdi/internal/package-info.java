/**
 * Internals of the CDI layer — not API: they change without notice, and applications must not use
 * them. The one admission step every store request goes through
 * ({@link io.livestore.cdi.internal.StoreAdmission}), the request's leases, the injected store
 * ({@link io.livestore.cdi.internal.LeasedStore}), injection plans, the retention interceptor, the
 * hooks through which the layers above add deployment checks
 * ({@link io.livestore.cdi.internal.DeploymentRules}); and how configuration is read, where the data
 * directory is by default, whose threads the library runs on, and the cluster keys
 * ({@link io.livestore.cdi.internal.ClusterSettings}) with the shared log they open
 * ({@link io.livestore.cdi.internal.ClusterUpstreams}). Public only so that the JAX-RS layer
 * of the same library can use them.
 */
package io.livestore.cdi.internal;
