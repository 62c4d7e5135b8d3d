package io.livestore.registry;

import io.livestore.store.Store;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The registry's record of one instance of a storeId: its load, its retentions and its idle timer.
 *
 * <p>State changes happen under the entry's monitor; futures are completed and stores closed only
 * after leaving it, because completing a future runs callers' callbacks, which may call back into the
 * registry. The fields the hit path reads without the monitor ({@link #phase}, {@link #retentions},
 * {@link #store}) are volatile; the hit path only writes {@link #lastAccessNanos}, and disposal re-checks
 * the deadline after announcing {@link Phase#CLOSING}, so an access racing with disposal is seen by one
 * side or the other.
 */
final class RegistryEntry {

    enum Phase { LOADING, READY, CLOSING, CLOSED }

    /** {@link #lastAccessNanos} before any transient access. */
    static final long NO_ACCESS = Long.MIN_VALUE;

    final String storeId;
    final StoreDefinition<?> definition;
    /** unusedCacheTime from definition or registry default: used by leases without their own, and transient accesses. */
    final long defaultNanos;
    /**
     * The instance of the same storeId that had not finished closing when this one was created (R11):
     * this one loads, and finishes, only after it. Dropped once it has closed, so chains do not grow.
     */
    volatile RegistryEntry previous;

    /** Completes once with the store, or with the one exception every waiter receives (R9). */
    final CompletableFuture<Store<?>> loaded = new CompletableFuture<>();
    /** A view of {@link #loaded} that callers cannot complete or cancel (R13). */
    final CompletionStage<Store<?>> stage = loaded.minimalCompletionStage();
    /** Completes when this instance is fully closed and removed, or its cancelled load has returned. */
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    volatile Phase phase = Phase.LOADING;
    volatile int retentions;
    volatile Store<?> store;
    /** Last access without retention (getOrLoad, preload); it keeps the store for {@link #defaultNanos}. */
    volatile long lastAccessNanos = NO_ACCESS;
    /** Set once the load is no longer wanted; the store core checks it between rebuild batches. */
    volatile boolean cancelled;

    // Guarded by this.
    /** Transient accesses (getOrLoad, preload) wait for the load: it is in use until it completes. */
    boolean transientHold;
    /** Longest unusedCacheTime asked by the retentions of the current period of use (R6); -1 when none. */
    long busyMaxNanos = -1;
    /** unusedCacheTime of the current idle period: the busy period's longest, when it ended. */
    long idleNanos;
    /** When the current idle period started (last release, or load completion). */
    long idleSinceNanos;
    Scheduler.Cancellable timer;
    long timerDueNanos;
    long timerToken;
    Thread loadingThread;
    boolean loadStarted;
    boolean interruptSent;
    long loadStartNanos;
    DisposalCause closeCause;

    RegistryEntry(StoreDefinition<?> definition, String storeId, long defaultNanos, RegistryEntry previous) {
        this.definition = definition;
        this.storeId = storeId;
        this.defaultNanos = defaultNanos;
        this.previous = previous;
        this.idleNanos = defaultNanos;
    }

    /** True while an access may use this entry (not closing or closed). */
    boolean usable() {
        Phase p = phase;
        return p == Phase.LOADING || p == Phase.READY;
    }

    /** Under the monitor: when an unused entry becomes disposable; {@code Long.MAX_VALUE} for never. */
    long deadline() {
        long idleEnd = idleNanos == UnusedCacheTimes.FOREVER_NANOS ? Long.MAX_VALUE : saturatedAdd(idleSinceNanos, idleNanos);
        long access = lastAccessNanos;
        if (access == NO_ACCESS) {
            return idleEnd;
        }
        long accessEnd = defaultNanos == UnusedCacheTimes.FOREVER_NANOS ? Long.MAX_VALUE : saturatedAdd(access, defaultNanos);
        return Math.max(idleEnd, accessEnd);
    }

    /** Under the monitor: the unusedCacheTime in force now (R6), for the snapshot. */
    long effectiveNanos() {
        if (retentions > 0 || transientHold) {
            return busyMaxNanos < 0 ? defaultNanos : busyMaxNanos;
        }
        long access = lastAccessNanos;
        if (access != NO_ACCESS && saturatedAdd(access, defaultNanos) > saturatedAdd(idleSinceNanos, idleNanos)) {
            return defaultNanos;
        }
        return idleNanos;
    }

    /** For least-recently-used ordering (R14). */
    long lastUsedNanos() {
        return Math.max(lastAccessNanos, idleSinceNanos);
    }

    StoreState state() {
        switch (phase) {
            case LOADING:
                return StoreState.LOADING;
            case READY:
                return retentions > 0 ? StoreState.ACTIVE : StoreState.INACTIVE;
            default:
                return StoreState.CLOSING;
        }
    }

    String describe() {
        return "store '" + storeId + "' (definition '" + definition.name() + "')";
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
