/**
 * Test fixtures for applications that use LiveStore (artifact {@code livestore-testing}, test scope):
 * {@link io.livestore.testing.ManualScheduler}, a clock that moves only when a test says so.
 */
package io.livestore.testing;
