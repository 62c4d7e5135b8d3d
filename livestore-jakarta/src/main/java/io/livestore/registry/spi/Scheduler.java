package io.livestore.registry.spi;

import java.time.Duration;

/**
 * The registry's source of time and its timers for disposal: an extension point. By default a registry
 * uses its own single timer thread on the system clock (made with
 * {@link io.livestore.registry.RegistryOptions#threadFactory()}); pass another through
 * {@link io.livestore.registry.RegistryOptions.Builder#scheduler(Scheduler)}. Tests use
 * {@code io.livestore.testing.ManualScheduler} (artifact {@code livestore-testing}), whose time moves only
 * when the test advances it.
 *
 * <p>{@link #nanoTime()} is read on the registry's hit path: it must be cheap (a field read, not a
 * system call) or the registry's own scheduler should be used.
 */
public interface Scheduler {

    /** The current time in nanoseconds, monotonic; only differences are meaningful. */
    long nanoTime();

    /**
     * Runs {@code task} once, after {@code delay}. Tasks must be short: the registry hands any
     * real work (closing a store) to its executor.
     *
     * @return a handle that cancels the task if it has not run yet
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that can still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task; no effect once it ran. */
        void cancel();
    }
}
