package io.livestore.registry;

import io.livestore.registry.spi.Scheduler;
import io.livestore.store.Store;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The registry's record of one instance of a storeId, and the state machine it goes through.
 *
 * <h2>Phases</h2>
 * <pre>
 *   LOADING ──load returns──▶ READY ──dispose──▶ CLOSING ──store closed──▶ CLOSED (removed from the map)
 *      │                                            ▲
 *      ├──load fails────────────────────────────────┤   (waiters get the one failure, R9)
 *      └──dispose (drop/clear/close/expired)────────┘   (load cancelled, R10)
 * </pre>
 *
 * <table>
 *   <caption>Transitions (all under {@link #lock}, except the lock-free ones marked CAS)</caption>
 *   <tr><th>from</th><th>event</th><th>to</th><th>done by</th></tr>
 *   <tr><td>LOADING</td><td>loader returned a store</td><td>READY</td><td>EntryLoading.loaded</td></tr>
 *   <tr><td>LOADING</td><td>loader failed</td><td>CLOSING, then CLOSED</td><td>EntryLoading.loadFailed</td></tr>
 *   <tr><td>LOADING</td><td>drop / clear / close / last release with a zero time</td><td>CLOSING</td>
 *       <td>EntryLifecycle.dispose (cancels the load)</td></tr>
 *   <tr><td>READY</td><td>retain, release (period without own time)</td><td>READY</td><td>CAS on {@link #word}</td></tr>
 *   <tr><td>READY</td><td>getOrLoad hit</td><td>READY</td><td>{@link #touch} (plain write of the coarse time)</td></tr>
 *   <tr><td>READY</td><td>idle past its deadline, bound, drop, clear, close, store failed</td><td>CLOSING</td>
 *       <td>EntryLifecycle.dispose: sets {@link #CLOSING_BIT} by CAS first</td></tr>
 *   <tr><td>CLOSING</td><td>store closed and predecessor closed (R11)</td><td>CLOSED</td><td>EntryLifecycle.finish</td></tr>
 * </table>
 *
 * <h2>Lock-free hits</h2>
 * The retention count lives in {@link #word} with two flags: {@link #CUSTOM_BIT} (the current period of
 * use has a retention with its own unusedCacheTime, so its bookkeeping needs the lock) and
 * {@link #CLOSING_BIT} (a disposal has claimed the entry: no new retention). A retain or release of a
 * READY entry whose period asks for the default time is one CAS; everything else takes the lock and
 * still changes the count by CAS. An unretained hit writes {@link #lastAccessNanos} and then reads the
 * word; a disposal sets {@link #CLOSING_BIT} and then re-reads {@link #lastAccessNanos}: one of the two
 * sees the other, so a hit either keeps the store or goes to the slow path.
 *
 * <p>A hit on a <em>retained</em> entry writes nothing once per period of use: it sets
 * {@link #ACCESSED_BIT} by CAS if not yet set, and the last release of the period stamps
 * {@link #lastAccessNanos} with its own (later) time before the count drops to zero. This keeps the
 * hand-out hold: while the count is above zero, no expiry or bound can dispose the entry (both claim it
 * only at count zero), and from the last release on the recorded access is no earlier than the real
 * one. So retained hits, the request-scoped case, never move the entry's cache line between cores.
 *
 * <h2>Hand-out hold (defect 6)</h2>
 * An unretained access keeps the store for {@code max(defaultNanos, HOLD)} after it (see
 * {@link StoreRegistry#HAND_OUT_HOLD}): neither expiry (even with a zero time) nor the bound closes a store
 * within the hold of its last unretained access.
 *
 * <p>Futures are completed and stores closed only after leaving the lock: completing a future runs
 * callers' callbacks, which may call back into the registry.
 */
final class RegistryEntry {

    enum Phase { LOADING, READY, CLOSING, CLOSED }

    /** {@link #lastAccessNanos} before any unretained access. */
    static final long NO_ACCESS = Long.MIN_VALUE;
    /** {@link #timerDueNanos} when no timer is pending. */
    static final long NO_TIMER = Long.MAX_VALUE;

    static final long COUNT_MASK = 0xFFFF_FFFFL;
    static final long CUSTOM_BIT = 1L << 32;
    static final long CLOSING_BIT = 1L << 33;
    /** An unretained access (a getOrLoad hit) happened while retained: the last release records it. */
    static final long ACCESSED_BIT = 1L << 34;

    private static final VarHandle WORD;
    private static final VarHandle LAST_ACCESS;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(RegistryEntry.class, "word", long.class);
            LAST_ACCESS = MethodHandles.lookup().findVarHandle(RegistryEntry.class, "lastAccessNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The monitor of every lock-guarded field below. */
    final Object lock = this;

    final String storeId;
    final StoreDefinition<?> definition;
    /** unusedCacheTime from definition or registry default: for leases without their own, and unretained accesses. */
    final long defaultNanos;
    /** How long an unretained access keeps the store: {@code max(defaultNanos, hold)}. */
    final long accessNanos;
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

    /** Written under the lock; read anywhere. */
    volatile Phase phase = Phase.LOADING;
    /** Set when READY, under the lock. */
    volatile Store<?> store;
    /** Retention count and flags; changed only by CAS. */
    private volatile long word;
    /** Last unretained access (getOrLoad, preload), coarse time; written by hits without the lock. */
    volatile long lastAccessNanos = NO_ACCESS;
    /** When the current idle period started; written by a releaser while it still holds its retention. */
    volatile long idleSinceNanos;
    /** unusedCacheTime of the current idle period; written like {@link #idleSinceNanos}. */
    volatile long idleNanos;
    /** Due time of the pending idle timer, {@link #NO_TIMER} when none; written under the lock. */
    volatile long timerDueNanos = NO_TIMER;
    /** Set once the load is no longer wanted; the store core checks it between rebuild batches. */
    volatile boolean cancelled;

    // ---- guarded by lock
    /** Unretained accesses (getOrLoad, preload) wait for the load: it is in use until it completes. */
    boolean transientHold;
    /** Longest unusedCacheTime of the current period when {@link #CUSTOM_BIT} is set (R6); -1 when none. */
    long busyMaxNanos = -1;
    Scheduler.Cancellable timer;
    long timerToken;
    Thread loadingThread;
    boolean loadStarted;
    boolean interruptSent;
    long loadStartNanos;
    DisposalCause closeCause;
    // ---- end guarded by lock

    RegistryEntry(StoreDefinition<?> definition, String storeId, long defaultNanos, long holdNanos, RegistryEntry previous) {
        this.definition = definition;
        this.storeId = storeId;
        this.defaultNanos = defaultNanos;
        this.accessNanos = Math.max(defaultNanos, holdNanos);
        this.previous = previous;
        this.idleNanos = defaultNanos;
    }

    // ------------------------------------------------------------------ the word

    long word() {
        return word;
    }

    boolean casWord(long expect, long update) {
        return WORD.compareAndSet(this, expect, update);
    }

    static int count(long w) {
        return (int) (w & COUNT_MASK);
    }

    int retentions() {
        return count(word);
    }

    boolean claimedForClosing() {
        return (word & CLOSING_BIT) != 0;
    }

    /** Sets {@link #CLOSING_BIT} whatever the count (forced disposal). */
    void claimForClosing() {
        WORD.getAndBitwiseOr(this, CLOSING_BIT);
    }

    /** Sets {@link #CLOSING_BIT} only if nothing retains the entry; under the lock. */
    boolean claimIfUnretained() {
        long w = word;
        return count(w) == 0 && (w & CLOSING_BIT) == 0 && casWord(w, w | CLOSING_BIT);
    }

    /** Undoes {@link #claimIfUnretained} when the disposal backs off; under the lock. */
    void unclaim() {
        WORD.getAndBitwiseAnd(this, ~CLOSING_BIT);
    }

    /**
     * Lock-free retention of a READY entry whose current period asks for the default time.
     * False when the slow path must decide.
     */
    boolean tryFastRetain() {
        while (true) {
            long w = word;
            if ((w & (CUSTOM_BIT | CLOSING_BIT)) != 0 || phase != Phase.READY) {
                return false;
            }
            if (casWord(w, w + 1)) {
                return true;
            }
        }
    }

    /**
     * Lock-free release of a READY entry whose period asks for the default time. Returns the count left
     * after it, or -1 when the slow path must decide. The idle period's start and length are written
     * before the count drops, while this retention still holds the entry, so whoever sees the count at
     * zero sees them too.
     */
    int tryFastRelease(long now) {
        while (true) {
            long w = word;
            if ((w & (CUSTOM_BIT | CLOSING_BIT)) != 0 || count(w) == 0 || phase != Phase.READY) {
                return -1;
            }
            if (idleSinceNanos < now) {
                idleSinceNanos = now;
            }
            if (idleNanos != defaultNanos) {
                idleNanos = defaultNanos;
            }
            boolean last = count(w) == 1;
            if (last && (w & ACCESSED_BIT) != 0) {
                stampAccess(now); // before the count drops: see the class comment
            }
            if (casWord(w, last ? (w - 1) & ~ACCESSED_BIT : w - 1)) {
                return count(w) - 1;
            }
        }
    }

    /** Under the lock: adds a retention asking for {@code nanos} (-1: the default), keeping R6's longest. */
    void addRetentionLocked(long nanos) {
        long wanted = nanos < 0 ? defaultNanos : nanos;
        while (true) {
            long w = word;
            long max;
            if (count(w) == 0 && !transientHold) {
                max = wanted; // a new period of use starts (R6)
            } else {
                max = Math.max((w & CUSTOM_BIT) != 0 ? busyMaxNanos : defaultNanos, wanted);
            }
            long flags = max != defaultNanos ? CUSTOM_BIT : 0;
            if (casWord(w, ((w & ~CUSTOM_BIT) + 1) | flags)) {
                busyMaxNanos = flags != 0 ? max : -1;
                return;
            }
        }
    }

    /**
     * Under the lock: removes a retention at coarse time {@code now}; returns the count left, or -1
     * when there was none.
     */
    int releaseLocked(long now) {
        while (true) {
            long w = word;
            int n = count(w);
            if (n == 0) {
                return -1;
            }
            if (n == 1 && (w & ACCESSED_BIT) != 0) {
                stampAccess(now);
            }
            if (n == 1) {
                // Before the count drops: once it is zero a lock-free retain and release (0→1→0) may
                // write the default here, and a write after the CAS would put this period's time over it.
                idleNanos = (w & CUSTOM_BIT) != 0 ? busyMaxNanos : defaultNanos;
            }
            long next = n == 1 ? (w & CLOSING_BIT) : w - 1;
            if (casWord(w, next)) {
                if (n == 1) {
                    busyMaxNanos = -1;
                }
                return n - 1;
            }
        }
    }

    // ------------------------------------------------------------------ accesses

    /**
     * Records an unretained access at coarse time {@code now}, without the lock. True when the entry
     * is not claimed for closing (read after the write; see the class comment).
     */
    boolean touch(long now) {
        stampAccess(now);
        return (word & CLOSING_BIT) == 0;
    }

    private void stampAccess(long now) {
        // An atomic maximum, not read-then-write: a thread preempted between the two would otherwise
        // write its older time over a later hit's, and the disposal handshake (which only promises to
        // see that hit's write or a later one) would date the hold from the older time.
        long seen = lastAccessNanos;
        while (seen < now) {
            long witness = (long) LAST_ACCESS.compareAndExchange(this, seen, now);
            if (witness == seen) {
                return;
            }
            seen = witness;
        }
    }

    /**
     * The lock-free part of a getOrLoad hit on a READY entry: true when the store may be handed out.
     * A retained entry only needs {@link #ACCESSED_BIT} (set once per period); an unretained one
     * records the access at the coarse time ({@link #touch}).
     */
    boolean hit(RegistryThreads threads) {
        while (true) {
            long w = word;
            if ((w & CLOSING_BIT) != 0) {
                return false;
            }
            if (count(w) == 0) {
                return touch(threads.coarseNow());
            }
            if ((w & ACCESSED_BIT) != 0 || casWord(w, w | ACCESSED_BIT)) {
                return true;
            }
        }
    }

    /** True while an access may use this entry (not closing or closed). */
    boolean usable() {
        Phase p = phase;
        return p == Phase.LOADING || p == Phase.READY;
    }

    /** When an unused entry becomes disposable; {@code Long.MAX_VALUE} for never. */
    long deadline() {
        long idle = idleNanos;
        long idleEnd = idle == UnusedCacheTimes.FOREVER_NANOS ? Long.MAX_VALUE : saturatedAdd(idleSinceNanos, idle);
        long access = lastAccessNanos;
        if (access == NO_ACCESS) {
            return idleEnd;
        }
        long accessEnd = accessNanos == UnusedCacheTimes.FOREVER_NANOS ? Long.MAX_VALUE : saturatedAdd(access, accessNanos);
        return Math.max(idleEnd, accessEnd);
    }

    /** True while the last unretained access's hand-out hold runs. */
    boolean inHold(long now, long holdNanos) {
        long access = lastAccessNanos;
        return access != NO_ACCESS && now - access < holdNanos;
    }

    /** Under the lock: the unusedCacheTime in force now (R6), for the snapshot. */
    long effectiveNanos() {
        long w = word;
        if (count(w) > 0 || transientHold) {
            return (w & CUSTOM_BIT) != 0 ? busyMaxNanos : defaultNanos;
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
                return retentions() > 0 ? StoreState.ACTIVE : StoreState.INACTIVE;
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
