/**
 * The JAX-RS layer's public API (DESIGN.md §5, C6 and C8): the preload filter that makes every store a
 * matched resource injects ready before the method runs
 * ({@link io.livestore.jaxrs.LiveStorePreloadFilter}), problem responses for the library's exceptions
 * ({@link io.livestore.jaxrs.LiveStoreProblemMapper}), and live queries over Server-Sent Events
 * ({@link io.livestore.jaxrs.LiveQueries}). Servers that scan find the providers by {@code @Provider};
 * an {@code Application} that lists its classes adds {@link io.livestore.jaxrs.LiveStoreJaxrsExtension#PROVIDERS}.
 * JSON on this side goes through the server's JSON-B.
 *
 * <p>Depends on the CDI layer and below. What users must not call lives in {@link io.livestore.jaxrs.internal}.
 */
package io.livestore.jaxrs;
