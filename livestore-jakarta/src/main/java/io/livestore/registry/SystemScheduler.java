package io.livestore.registry;

import io.livestore.registry.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The registry's own {@link Scheduler}: {@link System#nanoTime()} and one timer thread. Its
 * {@link #nanoTime()} is a coarse clock — a field the timer thread refreshes every {@link #TICK_NANOS} —
 * because the registry reads the time on every unretained hit and a {@code System.nanoTime()} call cost
 * more than the rest of the hit. The value is rounded up to the end of its tick, so an access is never
 * recorded earlier than it happened; a store lives at most one tick longer than its unusedCacheTime.
 */
final class SystemScheduler implements Scheduler, AutoCloseable {

    /** The coarse clock's granule: 1 ms. */
    static final long TICK_NANOS = 1_000_000;

    private final ScheduledThreadPoolExecutor executor;
    private volatile long coarseNow = System.nanoTime() + TICK_NANOS;

    SystemScheduler(ThreadFactory threads) {
        executor = new ScheduledThreadPoolExecutor(1, threads);
        // Retained stores cancel their timers constantly; without this the queue keeps every dead task
        // until its original deadline.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.scheduleAtFixedRate(() -> coarseNow = System.nanoTime() + TICK_NANOS,
                TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    @Override
    public long nanoTime() {
        // A late tick (a busy timer thread) makes this lag behind; the registry's decisions to dispose
        // read preciseNanoTime(), so lagging only ever shortens a hold by the tick's lateness.
        return coarseNow;
    }

    /** The precise time, for decisions taken rarely (timer runs, disposal). */
    long preciseNanoTime() {
        return Math.max(System.nanoTime(), coarseNow);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        var future = executor.schedule(task, UnusedCacheTimes.toNanos(delay), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
