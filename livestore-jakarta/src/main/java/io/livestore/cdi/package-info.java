/**
 * The CDI layer's public API (DESIGN.md §5, C1–C7): declare definitions as beans
 * ({@code @Produces @StoreDef("issue") StoreDefinition<S>}), inject stores with
 * {@link io.livestore.cdi.LiveStore @LiveStore}, reach stores known only at run time through
 * {@link io.livestore.cdi.Stores}, and plug in {@link io.livestore.cdi.StoreAccessPolicy} and
 * {@link io.livestore.cdi.StoreIdResolver} beans. {@link io.livestore.cdi.LiveStoreExtension} is the
 * portable extension (registered through META-INF/services; add it by hand only in a Weld SE container
 * without discovery). Injected stores are retained for the life of the request-scoped bean that holds
 * them; the application's one {@code StoreRegistry} is closed when the application stops.
 *
 * <p>Cluster mode comes from configuration keys ({@link io.livestore.cdi.LiveStoreConfig#CLUSTER_DATASOURCE}
 * or {@link io.livestore.cdi.LiveStoreConfig#CLUSTER_JDBC_URL}): the layer then opens the shared log
 * (the sync layer's {@code PostgresUpstream}) for the registry and closes it after the registry.
 *
 * <p>Depends on the store and registry layers, and on the sync layer for cluster mode only (loaded only
 * then, so its optional drivers are needed only then); nothing here knows JAX-RS. Everything users must
 * not call lives in {@link io.livestore.cdi.internal}.
 */
package io.livestore.cdi;
