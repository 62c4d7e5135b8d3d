/**
 * Internals of the CDI layer: how configuration is read, where the data directory is by default, and
 * whose threads the library runs on. Not API: types here change without notice; applications use
 * {@link io.livestore.cdi} instead.
 */
package io.livestore.cdi.internal;
