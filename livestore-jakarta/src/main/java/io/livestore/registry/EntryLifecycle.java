package io.livestore.registry;

import io.livestore.store.Store;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transitions of {@link RegistryEntry} that need the registry's threads, apart from loading: idle
 * timers, disposal and finishing (see the transition table in {@link RegistryEntry}). Loading
 * ({@link EntryLoading}) hands its outcome over to these.
 */
final class EntryLifecycle {

    private static final System.Logger LOG = System.getLogger(StoreRegistry.class.getName());

    private final ConcurrentHashMap<String, RegistryEntry> entries;
    private final RegistryThreads threads;
    private final RegistryCounters counters;
    private final long holdNanos;
    /** Runs after each store is closed: the cluster follower ends its interest (Y7; set once by the registry). */
    private java.util.function.Consumer<Store<?>> afterClose = store -> { };

    EntryLifecycle(ConcurrentHashMap<String, RegistryEntry> entries, RegistryThreads threads, RegistryCounters counters, long holdNanos) {
        this.entries = entries;
        this.threads = threads;
        this.counters = counters;
        this.holdNanos = holdNanos;
    }

    void afterEachClose(java.util.function.Consumer<Store<?>> task) {
        this.afterClose = task;
    }

    long holdNanos() {
        return holdNanos;
    }

    // ------------------------------------------------------------------ accesses and idle timers

    /** Under the entry's lock: an unretained access on the slow path. */
    void addTransientLocked(RegistryEntry e) {
        if (e.phase == RegistryEntry.Phase.LOADING) {
            e.transientHold = true;
        } else {
            e.touch(threads.coarseNow());
            if (e.retentions() == 0) {
                armIdleTimer(e);
            }
        }
    }

    /**
     * After a lock-free release at coarse time {@code now} left the entry unretained: make sure a timer
     * (or disposal) follows. Without the lock and without scheduling when a timer is due by the deadline.
     */
    void afterFastRelease(RegistryEntry e, long now) {
        long deadline = e.deadline();
        if (e.timerDueNanos <= deadline && deadline > now) {
            // The pending timer fires first and re-arms for the later deadline. (The coarse clock may lag,
            // and now was read before the release: then it is that timer, on the precise clock, that
            // finds the store due.)
            return;
        }
        boolean disposeNow = false;
        synchronized (e.lock) {
            if (!e.usable() || e.retentions() > 0) {
                return;
            }
            if (e.deadline() <= threads.now()) {
                disposeNow = true;
            } else {
                armIdleTimer(e);
            }
        }
        if (disposeNow) {
            dispose(e, DisposalCause.EXPIRED, false, false);
        }
    }

    /** Releases one retention on the slow path (period with its own time, or not READY). */
    void releaseSlow(RegistryEntry e) {
        boolean disposeNow = false;
        synchronized (e.lock) {
            if (!e.usable()) {
                return; // dropped, cleared or closed meanwhile
            }
            if (e.releaseLocked(threads.coarseNow()) == 0 && !e.transientHold) {
                disposeNow = beginIdle(e);
            }
        }
        if (disposeNow) {
            dispose(e, DisposalCause.EXPIRED, false, false);
        }
    }

    /** Under the lock: the store just became unused. Returns true when it is due at once. */
    boolean beginIdle(RegistryEntry e) {
        long now = threads.now();
        e.idleSinceNanos = now;
        long deadline = e.deadline();
        if (deadline <= now) {
            return true;
        }
        armIdleTimer(e, deadline, now);
        return false;
    }

    /** Under the lock: makes sure a timer fires no later than the entry's deadline. */
    void armIdleTimer(RegistryEntry e) {
        armIdleTimer(e, e.deadline(), -1);
    }

    private void armIdleTimer(RegistryEntry e, long deadline, long knownNow) {
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        if (e.timer != null && e.timerDueNanos <= deadline) {
            return; // it fires first and re-arms for the later deadline
        }
        if (e.timer != null) {
            e.timer.cancel();
        }
        long token = ++e.timerToken;
        long delay = Math.max(0, deadline - (knownNow >= 0 ? knownNow : threads.now()));
        e.timerDueNanos = deadline;
        e.timer = threads.scheduler().schedule(() -> onTimer(e, token), Duration.ofNanos(delay));
    }

    /** Under the lock: no timer is pending any more. */
    void cancelTimer(RegistryEntry e) {
        if (e.timer != null) {
            e.timer.cancel();
            e.timer = null;
        }
        e.timerDueNanos = RegistryEntry.NO_TIMER;
    }

    private void onTimer(RegistryEntry e, long token) {
        synchronized (e.lock) {
            if (token != e.timerToken) {
                return;
            }
            e.timer = null;
            e.timerDueNanos = RegistryEntry.NO_TIMER; // written before the count is read: see afterFastRelease
            if (!e.usable() || e.retentions() > 0 || e.transientHold) {
                return; // in use again: the next release arms a new timer (R4)
            }
            if (threads.now() < e.deadline()) {
                armIdleTimer(e);
                return;
            }
        }
        dispose(e, DisposalCause.EXPIRED, false, false);
    }

    // ------------------------------------------------------------------ disposal and finishing

    /**
     * CLOSING → CLOSED: marks an entry closed and removes it, once its predecessor has closed too: a
     * successor created meanwhile must never open the files while an older instance holds them (R11).
     */
    void finish(RegistryEntry e) {
        synchronized (e.lock) {
            e.phase = RegistryEntry.Phase.CLOSED;
        }
        RegistryEntry previous = e.previous;
        if (previous != null && !previous.closed.isDone()) {
            previous.closed.whenComplete((v, t) -> finish(e));
            return;
        }
        e.previous = null;
        entries.remove(e.storeId, e);
        e.closed.complete(null);
    }

    /** See {@link #dispose(RegistryEntry, DisposalCause, boolean, boolean, long)}; no LRU expectation. */
    CompletableFuture<Void> dispose(RegistryEntry e, DisposalCause cause, boolean force, boolean inline) {
        return dispose(e, cause, force, inline, Long.MIN_VALUE);
    }

    /**
     * LOADING/READY → CLOSING. A loaded store is closed on this thread when {@code inline}, else on the
     * executor, so timer and bound disposals never block the timer thread. Returns a future completing
     * when the entry is fully closed; null when it was in use (and not {@code force}d), not yet expired,
     * or — for the bound — used since {@code expectLastUsed} or within its hand-out hold.
     */
    CompletableFuture<Void> dispose(RegistryEntry e, DisposalCause cause, boolean force, boolean inline, long expectLastUsed) {
        Store<?> toClose = null;
        boolean cancelLoad = false;
        boolean finishNow = false;
        synchronized (e.lock) {
            if (!e.usable()) {
                return e.closed;
            }
            if (force) {
                e.claimForClosing();
            } else {
                if (e.transientHold || !e.claimIfUnretained()) {
                    return null; // in use
                }
                // Claimed: no new retention now. Re-read what lock-free hits may have written (touch).
                long now = threads.now();
                boolean keep = cause == DisposalCause.EXPIRED ? now < e.deadline()
                        : cause == DisposalCause.BOUND && (e.inHold(now, holdNanos)
                                || expectLastUsed != Long.MIN_VALUE && e.lastUsedNanos() != expectLastUsed);
                if (keep) {
                    e.unclaim();
                    if (cause == DisposalCause.EXPIRED) {
                        armIdleTimer(e);
                    }
                    return null;
                }
            }
            RegistryEntry.Phase was = e.phase;
            e.phase = RegistryEntry.Phase.CLOSING;
            e.closeCause = cause;
            cancelTimer(e);
            counters.disposed(cause);
            if (was == RegistryEntry.Phase.LOADING) {
                // Cancel the load (R10). A running load closes whatever it opens when it returns and then
                // finishes the entry; one that has not started is finished here.
                e.cancelled = true;
                cancelLoad = true;
                if (e.loadingThread != null) {
                    e.interruptSent = true;
                    e.loadingThread.interrupt();
                } else if (!e.loadStarted) {
                    finishNow = true;
                }
            } else {
                counters.loaded.decrementAndGet();
                toClose = e.store;
            }
        }
        if (cancelLoad) {
            e.loaded.completeExceptionally(DisposalExceptions.gone(e));
            if (finishNow) {
                finish(e);
            }
            return e.closed;
        }
        Store<?> store = toClose;
        Runnable close = () -> {
            try {
                closeQuietly(e, store);
            } finally {
                finish(e);
            }
        };
        if (inline) {
            close.run();
        } else {
            threads.execute(close);
        }
        return e.closed;
    }

    /** Closes a store whose entry is closing or gone, logging a failure, then runs the after-close task (Y7). */
    void closeQuietly(RegistryEntry e, Store<?> store) {
        try {
            store.close();
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, e.describe() + ": closing failed", ex);
        } finally {
            afterClose.accept(store);
        }
    }
}
