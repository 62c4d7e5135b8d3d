/**
 * Internals of the JAX-RS layer — not API: the deployment checks of {@code @LiveStore} injection points
 * in JAX-RS resources (path parameters, scopes), which the CDI extension loads through
 * {@link io.livestore.cdi.internal.DeploymentRules}.
 */
package io.livestore.jaxrs.internal;
