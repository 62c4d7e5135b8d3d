package io.livestore.testing;

import io.livestore.registry.spi.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time moves only when {@link #advance} is called; due tasks then run on the
 * calling thread, in deadline order. For tests of anything time-dependent (disposal after
 * unusedCacheTime), so they need no sleeps and cannot be flaky. Thread-safe.
 *
 * <pre>{@code
 * ManualScheduler clock = new ManualScheduler();
 * StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().scheduler(clock).build());
 * registry.getOrLoad(ISSUE, "issue-42");
 * clock.advance(Duration.ofSeconds(60));   // the unretained store is disposed now
 * }</pre>
 *
 * <p>Test fixture: artifact {@code io.livestore:livestore-testing}, for test scope only.
 */
public final class ManualScheduler implements Scheduler {

    private record Task(long due, long order, Runnable runnable, boolean[] cancelled) { }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private volatile long now;
    private long order;

    /** A scheduler at time zero. */
    public ManualScheduler() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        long due = saturatedAdd(now, toNanos(delay));
        boolean[] cancelled = {false};
        queue.add(new Task(due, order++, task, cancelled));
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward by {@code step}, running every task that falls due, including ones they schedule. */
    public void advance(Duration step) {
        long target;
        synchronized (this) {
            target = saturatedAdd(now, toNanos(step));
        }
        while (true) {
            Task next;
            synchronized (this) {
                Task head = queue.peek();
                if (head == null || head.due > target) {
                    now = target;
                    return;
                }
                next = queue.poll();
                now = Math.max(now, next.due);
                if (next.cancelled[0]) {
                    continue;
                }
            }
            next.runnable.run();
        }
    }

    /** Runs the tasks already due at the current time, without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** The number of scheduled tasks not yet run or cancelled. */
    public synchronized int pendingTasks() {
        int n = 0;
        for (Task t : queue) {
            if (!t.cancelled[0]) {
                n++;
            }
        }
        return n;
    }

    /** Deadlines (from now) of the pending tasks, soonest first; for assertions. */
    public synchronized List<Duration> pendingDelays() {
        List<Task> tasks = new ArrayList<>(queue);
        tasks.sort((a, b) -> Long.compare(a.due, b.due));
        List<Duration> out = new ArrayList<>();
        for (Task t : tasks) {
            if (!t.cancelled[0]) {
                out.add(Duration.ofNanos(t.due - now));
            }
        }
        return out;
    }

    /** Nanoseconds of a duration, {@code Long.MAX_VALUE} for one too long to count in them (forever). */
    private static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
