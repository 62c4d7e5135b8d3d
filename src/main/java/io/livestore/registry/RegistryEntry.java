package io.livestore.registry;

import io.livestore.store.Store;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The registry's record of one storeId: its load, its retentions and its idle timer.
 *
 * <p>State changes happen under the entry's monitor. The fields the hit path reads without the
 * monitor ({@link #phase}, {@link #retentions}, {@link #store}, {@link #idleNanos}) are volatile; the
 * hit path only ever writes {@link #lastAccessNanos}, and disposal re-reads it after announcing
 * {@link Phase#CLOSING}, so an access racing with disposal is seen by one side or the other.
 */
final class RegistryEntry {

    enum Phase { LOADING, READY, CLOSING, CLOSED }

    final String storeId;
    final StoreDefinition<?> definition;
    /** unusedCacheTime from definition or registry default, for accesses without their own. */
    final long defaultNanos;
    /** The instance of the same storeId still closing when this one was created (R11), else null. */
    final RegistryEntry previous;

    /** Completes once with the store, or with the one exception every waiter receives (R9). */
    final CompletableFuture<Store<?>> loaded = new CompletableFuture<>();
    /** A view of {@link #loaded} that callers cannot complete or cancel (R13). */
    final CompletionStage<Store<?>> stage = loaded.minimalCompletionStage();
    /** Completes when this instance is fully closed, or its cancelled load has returned. */
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    volatile Phase phase = Phase.LOADING;
    volatile int retentions;
    volatile Store<?> store;
    volatile long lastAccessNanos;
    /** unusedCacheTime of the current idle period. */
    volatile long idleNanos;
    /** Set once the load is no longer wanted; the store core checks it between rebuild batches. */
    volatile boolean cancelled;

    // Guarded by this.
    /** Transient accesses (getOrLoad, preload) arrived during the load: keep it until it completes. */
    boolean transientHold;
    /** Longest unusedCacheTime asked for since the store last became used (R6); -1 when none yet. */
    long busyMaxNanos = -1;
    /** When the current idle period started (last release, or load completion without retentions). */
    long idleSinceNanos;
    Scheduler.Cancellable timer;
    long timerDueNanos;
    long timerToken;
    Thread loadingThread;
    long loadStartNanos;
    boolean loadStarted;
    DisposalCause closeCause;

    RegistryEntry(StoreDefinition<?> definition, String storeId, long defaultNanos, RegistryEntry previous, long now) {
        this.definition = definition;
        this.storeId = storeId;
        this.defaultNanos = defaultNanos;
        this.previous = previous;
        this.idleNanos = defaultNanos;
        this.lastAccessNanos = now;
    }

    /** True while an access may use this entry (not closing or closed). */
    boolean usable() {
        Phase p = phase;
        return p == Phase.LOADING || p == Phase.READY;
    }

    /** The unusedCacheTime in force now (R6): the busy period's longest while used, else the idle one. */
    long effectiveNanos() {
        if (retentions > 0 || transientHold) {
            return busyMaxNanos < 0 ? defaultNanos : busyMaxNanos;
        }
        return idleNanos;
    }

    /** When an unused entry becomes disposable; {@code Long.MAX_VALUE} for never. */
    long deadline() {
        long idle = idleNanos;
        if (idle == UnusedCacheTimes.FOREVER_NANOS) {
            return Long.MAX_VALUE;
        }
        long since = Math.max(idleSinceNanos, lastAccessNanos);
        return since + idle < since ? Long.MAX_VALUE : since + idle;
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
}
