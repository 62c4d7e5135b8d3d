package io.livestore.registry;

import io.livestore.registry.spi.Scheduler;
import io.livestore.registry.spi.StoreLoader;
import io.livestore.store.CancellationSignal;
import io.livestore.store.SchemaBehindLogException;
import io.livestore.store.Store;
import io.livestore.store.StoreClosedException;
import io.livestore.store.StoreLoadCancelledException;
import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a registry's loaded stores current with their upstream log in cluster mode (DESIGN.md §8, Y4–Y7).
 *
 * <ul>
 *   <li>One {@link ChangeListener} for the whole registry, registered when the registry is made — before
 *       any store loads, so no announcement can fall between a store's catch-up pull and its interest (Y4).
 *       Its interest is the set of loaded stores: a store joins it — and {@linkplain Upstream#follow follows}
 *       the upstream log, so that other nodes announce their appends to it — before its loading catch-up,
 *       and leaves it when it is closed (Y7; the log stays upstream).</li>
 *   <li>An announcement for a loaded store whose local head is behind schedules a catch-up on a registry
 *       thread of its own ({@link CatchUpThreads}: not the loading pool, never the listener's); catch-ups of
 *       one store are coalesced: one runs or waits at a time, and each pulls to the log's end, so a burst of
 *       announcements costs one or two pulls. One the threads cannot take is dropped: the head check retries.</li>
 *   <li>A resync (listening began, or resumed after an outage) and a periodic head check on the registry's
 *       scheduler compare the heads of all loaded stores with the log, {@value #HEADS_PER_CALL} per call,
 *       and catch up those behind: the safety net, since correctness never depends on announcements (Y5).
 *       Checks never overlap; repeated failures are logged as a WARNING.</li>
 *   <li>The catch-up of a load pulls page by page and stops when the load is cancelled (R10).</li>
 * </ul>
 * Loading itself — a cache file checked against the log, rebuilt or pushed — is {@link UpstreamCopies}.
 */
final class UpstreamFollower implements ChangeListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UpstreamFollower.class.getName());

    /** A loaded store the follower keeps current; {@code store} is set once its file is open. */
    private static final class Followed {
        volatile Store<?> store;
        /** The upstream's interest, held from before the loading catch-up until the store is closed. */
        volatile Upstream.Interest interest = Upstream.Interest.NONE;
        final AtomicBoolean scheduled = new AtomicBoolean();
        /** The highest head announced for the store; a catch-up that finds the copy there asks nothing. */
        final AtomicLong announced = new AtomicLong();
        /**
         * True while the load's own catch-up runs: announcements and head checks only record the head
         * then — a second catch-up on another thread would pull the same pages, and would not stop when
         * the load is cancelled — and the load schedules one at its end if the log moved past it.
         */
        volatile boolean loading = true;
    }

    /** Store ids per {@link Upstream#heads} call of a head check. */
    static final int HEADS_PER_CALL = 1_000;
    /** Events per page of a load's catch-up, between which a cancellation is seen. */
    private static final int PAGE = 500;
    /** Head checks failing in a row before a WARNING (and every so many after). */
    private static final int FAILURES_TO_WARN = 3;

    private final Upstream upstream;
    private final RegistryThreads threads;
    private final CatchUpThreads catchUps;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicInteger failedChecks = new AtomicInteger();
    private final Duration checkInterval;
    private final ConcurrentHashMap<String, Followed> followed = new ConcurrentHashMap<>();
    private final Upstream.Registration registration;
    private final Object checkLock = new Object();
    private Scheduler.Cancellable nextCheck;
    private volatile boolean closed;

    UpstreamFollower(Upstream upstream, RegistryThreads threads, CatchUpThreads catchUps, Duration checkInterval) {
        this.upstream = upstream;
        this.threads = threads;
        this.catchUps = catchUps;
        this.checkInterval = checkInterval;
        this.registration = upstream.listen(this);
        scheduleCheck();
    }

    /** The follower of a registry with {@code options}; null without an upstream (single-node mode). */
    static UpstreamFollower of(RegistryOptions options, RegistryThreads threads) {
        return options.upstream().map(u -> new UpstreamFollower(u, threads, new CatchUpThreads(options),
                options.upstreamCheckInterval())).orElse(null);
    }

    /** The registry's loader: the options' own, wrapped by {@code follower} in cluster mode. */
    static StoreLoader loader(UpstreamFollower follower, RegistryOptions options) {
        return follower == null ? options.loader() : follower.loader(options.loader());
    }

    /** In cluster mode, makes {@code lifecycle} tell the follower of every store it closes. */
    static void followClosesOf(UpstreamFollower follower, EntryLifecycle lifecycle) {
        if (follower != null) {
            lifecycle.afterEachClose(follower::closed);
        }
    }

    static void close(UpstreamFollower follower) {
        if (follower != null) {
            follower.close();
        }
    }

    /** The registry's loader in cluster mode: {@code inner} opens files, the follower makes them copies of the log. */
    StoreLoader loader(StoreLoader inner) {
        return (definition, opener, storeId, cancel) -> {
            Followed f = new Followed();
            followed.put(storeId, f); // interest first (Y4): announcements from here on are not lost
            Store<?> store = null;
            try {
                f.interest = upstream.follow(storeId); // and other nodes' appends from here on are announced
                store = new UpstreamCopies(upstream, inner).open(definition, opener, storeId, cancel);
                f.store = store;
                catchUpOnLoad(store, storeId, cancel);
                f.loading = false;
                long announced = f.announced.get();
                if (announced > LocalLog.of(store).appliedHead()) {
                    schedule(storeId, f, announced); // announced while the load's catch-up was at its end
                }
                return store;
            } catch (Throwable t) {
                followed.remove(storeId, f);
                endInterest(storeId, f);
                if (store != null) {
                    store.close();
                }
                throw t;
            }
        };
    }

    /**
     * Catches a loading store up with its log a page at a time ({@link LocalLog#catchUp(long)}, which also
     * stops before an event this version cannot apply, Y8), checking the load's cancellation between pages.
     */
    private void catchUpOnLoad(Store<?> store, String storeId, CancellationSignal cancel) {
        LocalLog local = LocalLog.of(store);
        try {
            while (true) {
                if (cancel.isCancelled() || Thread.currentThread().isInterrupted() || closed) {
                    throw new StoreLoadCancelledException("store '" + storeId + "': loading was cancelled while "
                            + "catching up with its upstream log (at event " + local.appliedHead() + ")");
                }
                long at = local.logHead().head();
                if (local.catchUp(PAGE) == at) {
                    break; // current, or stopped before an event this version cannot apply (Y8)
                }
            }
        } catch (SchemaBehindLogException refused) {
            // Y8: the store serves reads of the state before the unknown event and refuses commits.
        }
    }

    /** Ends the interest in a store closed by the registry (Y7). */
    void closed(Store<?> store) {
        Followed[] removed = new Followed[1];
        followed.computeIfPresent(store.storeId(), (id, f) -> {
            if (f.store != store) {
                return f;
            }
            removed[0] = f;
            return null;
        });
        if (removed[0] != null) {
            endInterest(store.storeId(), removed[0]);
        }
    }

    private static void endInterest(String storeId, Followed f) {
        try {
            f.interest.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "store '" + storeId + "': ending the interest in its upstream log failed", e);
        }
    }

    /** True while {@code storeId} is among the stores this node follows (for tests of Y7). */
    boolean follows(String storeId) {
        return followed.containsKey(storeId);
    }

    // ------------------------------------------------------------------ ChangeListener (the upstream's thread)

    @Override
    public void changed(String storeId, long head) {
        Followed f = followed.get(storeId);
        Store<?> store = f == null ? null : f.store;
        if (store == null || LocalLog.of(store).hasOrIsApplying(head)) {
            return; // not loaded here, still opening (its catch-up comes), current, or this node's own commit
        }
        schedule(storeId, f, head);
    }

    @Override
    public void resync() {
        catchUps.execute("a head check after a resync", this::checkHeads);
    }

    // ------------------------------------------------------------------ catch-ups (registry threads)

    private void schedule(String storeId, Followed f, long head) {
        f.announced.accumulateAndGet(head, Math::max);
        if (f.loading) {
            return; // the load's own catch-up pulls to the log's end, and schedules one after it if needed
        }
        if (!closed && f.scheduled.compareAndSet(false, true)) {
            boolean taken = catchUps.execute("the catch-up of store '" + storeId + "'", () -> {
                f.scheduled.set(false); // before the pull: an announcement arriving during it schedules another
                catchUp(storeId, f);
            });
            if (!taken) {
                f.scheduled.set(false); // the next announcement or head check schedules it again
            }
        }
    }

    private void catchUp(String storeId, Followed f) {
        Store<?> store = f.store;
        if (store == null || store.isClosed() || closed) {
            return;
        }
        try {
            LocalLog.of(store).catchUpTo(f.announced.get());
        } catch (StoreClosedException gone) {
            // disposed meanwhile: nothing to keep current
        } catch (UpstreamUnavailableException e) {
            LOG.log(Level.DEBUG, () -> "store '" + storeId + "': catching up deferred, the upstream log is unreachable ("
                    + e.getMessage() + "); the next resync or head check retries");
        } catch (SchemaBehindLogException e) {
            // logged by the store when it met the event; it stays refused (Y8)
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "store '" + storeId + "': catching up with the upstream log failed", e);
        }
    }

    /**
     * Compares every loaded store's head with the log, {@value #HEADS_PER_CALL} stores per call, and catches
     * up those behind. A check while another runs does nothing: the running one reads the heads anyway.
     */
    void checkHeads() {
        if (closed || !checking.compareAndSet(false, true)) {
            return;
        }
        try {
            checkAllHeads();
        } finally {
            checking.set(false);
        }
    }

    private void checkAllHeads() {
        List<String> ids = new ArrayList<>();
        followed.forEach((id, f) -> {
            if (f.store != null && !f.store.isClosed()) {
                ids.add(id);
            }
        });
        if (ids.isEmpty()) {
            return;
        }
        for (int from = 0; from < ids.size() && !closed; from += HEADS_PER_CALL) {
            Map<String, LogHead> heads;
            try {
                heads = upstream.heads(ids.subList(from, Math.min(ids.size(), from + HEADS_PER_CALL)));
            } catch (UpstreamUnavailableException e) {
                int failures = failedChecks.incrementAndGet();
                if (failures >= FAILURES_TO_WARN && (failures - FAILURES_TO_WARN) % 20 == 0) {
                    LOG.log(Level.WARNING, () -> "the upstream log's heads could not be read " + failures + " times "
                            + "in a row; loaded stores may lag other nodes' commits until it answers: " + e.getMessage());
                } else {
                    LOG.log(Level.DEBUG, () -> "head check deferred: " + e.getMessage());
                }
                return;
            } catch (IllegalStateException closedUpstream) {
                return; // the application closed the upstream before the registry
            }
            catchUpBehind(heads);
        }
        failedChecks.set(0);
    }

    private void catchUpBehind(Map<String, LogHead> heads) {
        heads.forEach((id, head) -> {
            Followed f = followed.get(id);
            Store<?> store = f == null ? null : f.store;
            if (store != null && LocalLog.of(store).appliedHead() < head.head()) {
                schedule(id, f, head.head());
            }
        });
    }

    private void scheduleCheck() {
        synchronized (checkLock) {
            if (!closed) {
                nextCheck = threads.scheduler().schedule(() -> {
                    catchUps.execute("the periodic head check", this::checkHeads);
                    scheduleCheck();
                }, checkInterval);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (checkLock) {
            if (nextCheck != null) {
                nextCheck.cancel();
            }
        }
        try {
            registration.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "ending the upstream registration failed", e);
        }
        catchUps.shutdown(); // running catch-ups finish before the registry closes their stores
        followed.forEach(UpstreamFollower::endInterest);
        followed.clear();
    }
}
