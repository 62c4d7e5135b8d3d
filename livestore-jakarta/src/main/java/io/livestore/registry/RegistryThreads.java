package io.livestore.registry;

import io.livestore.registry.spi.Scheduler;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's threads and clock: the one pool that runs loads and closes (unless the options give
 * an executor) and the timer of its own scheduler (unless the options give one), both made with
 * {@link RegistryOptions#threadFactory()}. Nothing else in the registry creates a thread (item 19).
 */
final class RegistryThreads {

    private final Executor executor;
    private final ThreadPoolExecutor ownedPool;
    private final Scheduler scheduler;
    private final SystemScheduler ownedScheduler;

    RegistryThreads(RegistryOptions options) {
        ThreadFactory factory = options.threadFactory() != null ? options.threadFactory() : daemonThreads();
        if (options.executor() != null) {
            executor = options.executor();
            ownedPool = null;
        } else {
            int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
            ownedPool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
            ownedPool.allowCoreThreadTimeOut(true);
            executor = ownedPool;
        }
        if (options.scheduler() != null) {
            scheduler = options.scheduler();
            ownedScheduler = null;
        } else {
            ownedScheduler = new SystemScheduler(factory);
            scheduler = ownedScheduler;
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "livestore-registry-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** The time to record an access with: cheap, possibly coarse, never earlier than the access. */
    long coarseNow() {
        return scheduler.nanoTime();
    }

    /** The time to decide a disposal with. */
    long now() {
        return ownedScheduler != null ? ownedScheduler.preciseNanoTime() : scheduler.nanoTime();
    }

    /** Runs {@code task} on the executor, or on this thread when the executor refuses it. */
    void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException rejected) {
            task.run();
        }
    }

    /** Runs {@code task} on the executor; throws when it refuses. */
    void submit(Runnable task) {
        executor.execute(task);
    }

    /** Stops the owned threads: queued work (closes of expired stores) runs rather than being dropped. */
    void shutdown() {
        if (ownedPool != null) {
            ownedPool.shutdown();
            try {
                if (!ownedPool.awaitTermination(1, TimeUnit.SECONDS)) {
                    ownedPool.shutdownNow().forEach(Runnable::run);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
    }
}
