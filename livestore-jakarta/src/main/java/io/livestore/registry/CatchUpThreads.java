package io.livestore.registry;

import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run a cluster registry's catch-ups and head checks (Y4, Y5), apart from the pool
 * that loads and closes stores: a catch-up runs subscription listeners under the store's lock, and a
 * listener that waits for a load (or commits through the upstream) must not take the thread a load
 * needs. A small bounded pool made with {@link RegistryOptions#threadFactory()} (daemon threads without
 * one); a task it cannot take is dropped, never run on the caller (the upstream's listener thread):
 * the periodic head check brings the store current later.
 */
final class CatchUpThreads {

    private static final System.Logger LOG = System.getLogger(CatchUpThreads.class.getName());
    /** Queued catch-ups at most: one per store behind (they are coalesced), beyond that the head check retries. */
    private static final int QUEUE = 10_000;

    private final ThreadPoolExecutor pool;

    CatchUpThreads(RegistryOptions options) {
        ThreadFactory factory = options.threadFactory() != null ? options.threadFactory() : daemonThreads();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), factory);
        pool.allowCoreThreadTimeOut(true);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "livestore-catch-up-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs {@code task} on a catch-up thread; returns false (and logs at DEBUG) when it was dropped. */
    boolean execute(String what, Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException rejected) {
            LOG.log(Level.DEBUG, () -> what + " dropped (" + (pool.isShutdown() ? "the registry is closing"
                    : "too many queued") + "); the periodic head check retries it");
            return false;
        }
    }

    /** Stops the threads: queued catch-ups return at once (the follower is closed), running ones finish. */
    void shutdown() {
        pool.shutdown(); // queued ones see the follower closed and return at once
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "catch-ups still running 5 s after the registry began closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
