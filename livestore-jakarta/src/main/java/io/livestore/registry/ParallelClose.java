package io.livestore.registry;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Disposes many entries in parallel (clear, close: R10, R15) on the registry's one executor — no pool
 * of its own: up to {@link #PARALLELISM} tasks take entries from one queue. The caller waits at most the
 * close timeout, so a stuck store cannot hold it longer (with a caller-runs executor the closes run on
 * the caller, one after the other).
 */
final class ParallelClose {

    private static final System.Logger LOG = System.getLogger(StoreRegistry.class.getName());
    /** Closes running at once at most. */
    private static final int PARALLELISM = 8;

    private ParallelClose() {
    }

    static void disposeAll(List<RegistryEntry> all, DisposalCause cause, Duration timeout, RegistryThreads threads,
                           EntryLifecycle lifecycle) {
        if (all.isEmpty()) {
            return;
        }
        ConcurrentLinkedQueue<RegistryEntry> todo = new ConcurrentLinkedQueue<>(all);
        Runnable worker = () -> {
            RegistryEntry e;
            while ((e = todo.poll()) != null) {
                lifecycle.dispose(e, cause, true, true);
            }
        };
        for (int i = 0; i < Math.min(PARALLELISM, all.size()); i++) {
            threads.execute(worker);
        }
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (RegistryEntry e : all) {
            closed.add(e.closed);
        }
        await(CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)), timeout, all);
    }

    /** Waits at most {@code timeout} for {@code closing}; logs the stores still open past it. */
    static void await(CompletableFuture<Void> closing, Duration timeout, List<RegistryEntry> waited) {
        if (closing == null) {
            return;
        }
        try {
            closing.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
            List<String> open = new ArrayList<>();
            for (RegistryEntry e : waited) {
                if (!e.closed.isDone()) {
                    open.add(e.storeId);
                }
            }
            LOG.log(Level.WARNING, "stores not closed within " + timeout + ": " + open);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ex) {
            LOG.log(Level.WARNING, "closing stores failed", ex.getCause());
        }
    }
}
