package io.livestore.registry;

import java.time.Duration;

/**
 * The registry's source of time and its timers for disposal. Production uses
 * {@link #system()}: one daemon thread for every store of a registry, not a thread per store.
 * Tests use {@link ManualScheduler}, whose time moves only when the test advances it.
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

    /** A scheduler on the system clock with one daemon thread, stopped when the owning registry closes. */
    static Scheduler system() {
        return new SystemScheduler();
    }
}
