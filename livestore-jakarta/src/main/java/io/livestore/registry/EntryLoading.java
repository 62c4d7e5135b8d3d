package io.livestore.registry;

import io.livestore.registry.spi.StoreLoader;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import java.lang.System.Logger.Level;

/**
 * The loading transitions of {@link RegistryEntry}: the loader runs on the registry's executor, after the
 * entry's predecessor has closed (R11), and its outcome takes the entry LOADING → READY ({@link #loaded})
 * or to the one failure every waiter gets ({@link #loadFailed}, R9). Separate from {@link EntryLifecycle}
 * because loading is the one transition that runs foreign code (the loader) for a long time: this class
 * keeps its side of the cancellation handshake (the loading thread, the interrupt it must not leak), and
 * hands the outcome over to the lifecycle's idle timers, disposal and finishing.
 */
final class EntryLoading {

    private static final System.Logger LOG = System.getLogger(StoreRegistry.class.getName());

    private final EntryLifecycle lifecycle;
    private final RegistryThreads threads;
    private final RegistryCounters counters;
    private final StoreLoader loader;
    /** Runs after each successful load, outside any lock: the bound (set once by the registry). */
    private Runnable afterLoad = () -> { };

    EntryLoading(EntryLifecycle lifecycle, RegistryThreads threads, RegistryCounters counters, StoreLoader loader) {
        this.lifecycle = lifecycle;
        this.threads = threads;
        this.counters = counters;
        this.loader = loader;
    }

    void afterEachLoad(Runnable task) {
        this.afterLoad = task;
    }

    /** Submits the load of a new entry, once its predecessor has fully closed (R11). */
    void startLoad(RegistryEntry e, StoreOpener<?> opener) {
        Runnable task = () -> runLoad(e, opener);
        RegistryEntry previous = e.previous;
        if (previous != null) {
            previous.closed.whenComplete((v, t) -> {
                e.previous = null;
                submit(e, task);
            });
        } else {
            submit(e, task);
        }
    }

    private void submit(RegistryEntry e, Runnable task) {
        try {
            threads.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException rejected) {
            loadFailed(e, rejected);
        }
    }

    private void runLoad(RegistryEntry e, StoreOpener<?> opener) {
        // With a caller-runs executor this is the caller's thread: its interrupt is not a cancellation.
        boolean callerInterrupted = Thread.interrupted();
        Store<?> store = null;
        Throwable failure = null;
        try {
            synchronized (e.lock) {
                if (e.phase != RegistryEntry.Phase.LOADING) {
                    return; // disposed before it started; dispose() finished the entry
                }
                e.loadingThread = Thread.currentThread();
                e.loadStarted = true;
                e.loadStartNanos = System.nanoTime();
            }
            try {
                store = loader.load(e.definition, opener, e.storeId, () -> e.cancelled);
                if (store == null) {
                    failure = new NullPointerException("the StoreLoader returned null");
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                synchronized (e.lock) {
                    e.loadingThread = null;
                    if (e.interruptSent) {
                        // Our cancellation interrupt must not leak into the thread's next task.
                        Thread.interrupted();
                        e.interruptSent = false;
                    }
                }
            }
        } finally {
            if (callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            loadFailed(e, failure);
        } else {
            loaded(e, store);
        }
    }

    /** LOADING → READY; returns nothing: the bound runs after it in the caller. */
    private void loaded(RegistryEntry e, Store<?> store) {
        boolean discard = false;
        boolean disposeNow = false;
        synchronized (e.lock) {
            if (e.phase != RegistryEntry.Phase.LOADING) {
                discard = true; // dropped, disposed or the registry closed while loading (R10)
            } else {
                e.store = store;
                e.phase = RegistryEntry.Phase.READY;
                counters.loaded.incrementAndGet();
                counters.loads.increment();
                counters.loadNanos.add(System.nanoTime() - e.loadStartNanos);
                boolean hadTransient = e.transientHold;
                e.transientHold = false;
                if (hadTransient) {
                    e.touch(threads.coarseNow()); // the waiting accesses happen now: their hold starts
                }
                if (e.retentions() == 0) {
                    if (hadTransient) {
                        disposeNow = lifecycle.beginIdle(e);
                    } else {
                        lifecycle.armIdleTimer(e); // its leases closed during the load: that idle period goes on
                        disposeNow = e.deadline() <= threads.now();
                    }
                }
            }
        }
        if (discard) {
            lifecycle.closeQuietly(e, store); // never leak a store whose entry is gone
            lifecycle.finish(e);
            return;
        }
        e.loaded.complete(store);
        if (disposeNow) {
            lifecycle.dispose(e, DisposalCause.EXPIRED, false, false);
        }
        afterLoad.run();
    }

    void loadFailed(RegistryEntry e, Throwable failure) {
        boolean discard;
        synchronized (e.lock) {
            discard = e.phase != RegistryEntry.Phase.LOADING;
            if (!discard) {
                e.phase = RegistryEntry.Phase.CLOSING;
                e.claimForClosing();
                lifecycle.cancelTimer(e);
            }
        }
        if (discard) {
            lifecycle.finish(e);
            return;
        }
        counters.loadFailures.increment();
        StoreLoadException shared = failure instanceof StoreLoadException sle ? sle
                : new StoreLoadException(e.describe() + ": load failed: " + failure, failure);
        shared.concerning(e.definition.name(), e.storeId);
        LOG.log(Level.WARNING, shared.getMessage());
        // Removed before the waiters hear of it, so a waiter that retries gets a fresh load (R9).
        lifecycle.finish(e);
        e.loaded.completeExceptionally(shared);
    }
}
