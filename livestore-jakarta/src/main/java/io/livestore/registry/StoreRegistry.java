package io.livestore.registry;

import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreIds;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads a store on first use, shares it while anything retains it, and disposes it once it has been
 * unused for its unusedCacheTime: the Java form of LiveStore's multi-store {@code StoreRegistry}.
 * Framework-agnostic and thread-safe; one per application (the CDI extension provides it as an
 * application-scoped bean).
 *
 * <pre>{@code
 * try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder()
 *         .storage(StoreStorage.directory(Path.of("data"))).build());
 *      StoreLease<IssueSchema> lease = registry.retain(ISSUE, "issue-42")) {
 *     lease.store().commit(new IssueCreated("issue-42", "Crash on save"));
 * }
 * }</pre>
 *
 * <p>The rules it keeps are R1–R16 of DESIGN.md; the javadoc of each method names the ones it serves.
 * Stores are keyed by storeId: a storeId belongs to one definition (R12).
 *
 * <p><b>A store handed out stays usable for its access.</b> A retained store is never disposed while
 * retained, except by {@link #drop}, {@link #clear} and {@link #close} (R3, R10). A store handed out by an
 * unretained access ({@link #getOrLoad}, {@link #preload}) is kept loaded for at least
 * {@link #HAND_OUT_HOLD} after that access, whatever its unusedCacheTime (zero included) and whatever
 * {@code maxLoadedStores} says: expiry waits for {@code max(unusedCacheTime, HAND_OUT_HOLD)} after the last
 * access, and the bound skips stores within their hold and stores used after it picked them. An
 * unretained result is therefore for immediate use; whatever may take longer retains the store.
 * Because of the hold, the number of loaded stores can exceed {@code maxLoadedStores} by the unretained
 * stores accessed within the last {@code HAND_OUT_HOLD} (and, for a moment, by loads completing
 * together); the next load or release after their hold brings it back within the bound.
 */
public class StoreRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreRegistry.class.getName());

    /**
     * How long a store handed out by an unretained access ({@link #getOrLoad}, {@link #preload}) is kept
     * loaded at least, on the registry's clock: 1 ms.
     */
    public static final Duration HAND_OUT_HOLD = Duration.ofMillis(1);

    private final RegistryOptions options;
    private final RegistryThreads threads;
    private final RegistryCounters counters = new RegistryCounters();
    private final ConcurrentHashMap<String, RegistryEntry> entries = new ConcurrentHashMap<>();
    private final DefinitionTable definitions;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EntryLifecycle lifecycle;
    private final EntryLoading loading;
    private final BoundEviction bound;
    /** Cluster mode only: keeps loaded stores current with their upstream log (Y4–Y7); else null. */
    private final UpstreamFollower follower;

    /** A registry with {@link RegistryOptions#defaults()}. */
    public StoreRegistry() {
        this(RegistryOptions.defaults());
    }

    /** A registry with the given options. */
    public StoreRegistry(RegistryOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.definitions = new DefinitionTable(options);
        this.threads = new RegistryThreads(options);
        this.follower = UpstreamFollower.of(options, threads); // null in single-node mode
        this.lifecycle = new EntryLifecycle(entries, threads, counters, HAND_OUT_HOLD.toNanos());
        this.loading = new EntryLoading(lifecycle, threads, counters, UpstreamFollower.loader(follower, options));
        UpstreamFollower.followClosesOf(follower, lifecycle);
        this.bound = new BoundEviction(options.maxLoadedStores().orElse(-1), entries, counters, threads, lifecycle);
        loading.afterEachLoad(bound::enforce);
    }

    /** The options this registry was built with. */
    public RegistryOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ access

    /**
     * The store, loading it on first access (R1). Concurrent callers share one load (R2); a failed load
     * reaches them all as the same {@link StoreLoadException} and is then forgotten, so the next call
     * loads again (R9). Does not retain: an unretained store is disposed once its unusedCacheTime has
     * passed since the last access (R4, R7), and never within {@link #HAND_OUT_HOLD} of it. Use the
     * result at once, or {@link #retain} it.
     *
     * @return a stage that completes with the store; completed already when the store is loaded.
     *         Callers cannot complete or cancel it, so giving up affects no one else (R13)
     * @throws io.livestore.store.InvalidStoreIdException a bad storeId (nothing is loaded)
     * @throws StoreIdConflictException the storeId is loaded for another definition (R12)
     * @throws RegistryClosedException  the registry is closed
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <S extends Schema> CompletionStage<Store<S>> getOrLoad(StoreDefinition<S> definition, String storeId) {
        RegistryEntry e = storeId == null ? null : entries.get(storeId);
        if (e != null && e.definition == definition && e.phase == RegistryEntry.Phase.READY
                && e.hit(threads) && !e.store.isClosed()) {
            // Hot path: no lock, no allocation, no shared write but the entry's access time once per
            // clock tick (unretained) or its accessed flag once per period of use (retained; see
            // RegistryEntry). (close() disposes every entry first, so a READY entry means an open registry.)
            counters.hits.increment();
            return (CompletionStage) e.stage;
        }
        return (CompletionStage) access(definition, storeId, -2).stage;
    }

    /**
     * Retains the store with its definition's (or the registry's) unusedCacheTime. See
     * {@link #retain(StoreDefinition, String, Duration)}.
     */
    public <S extends Schema> StoreLease<S> retain(StoreDefinition<S> definition, String storeId) {
        return retain(definition, storeId, -1);
    }

    /**
     * Retains the store: it is not disposed while the lease is open (R3). The retention counts at once,
     * atomically with starting the load, so the store can never be disposed between its load and its
     * first retention (R8). When the last lease closes, the store is disposed after the longest
     * unusedCacheTime asked for by the leases of that period of use (R4, R6); {@code unusedCacheTime}
     * here overrides the definition's (R5).
     *
     * @throws io.livestore.store.InvalidStoreIdException a bad storeId (nothing is loaded)
     * @throws StoreIdConflictException the storeId is loaded for another definition (R12)
     * @throws RegistryClosedException  the registry is closed
     */
    public <S extends Schema> StoreLease<S> retain(StoreDefinition<S> definition, String storeId, Duration unusedCacheTime) {
        Objects.requireNonNull(unusedCacheTime, "unusedCacheTime");
        if (unusedCacheTime.isNegative()) {
            UnusedCacheTimes.requireValid(unusedCacheTime, "retain of store '" + storeId + "'");
        }
        return retain(definition, storeId, UnusedCacheTimes.toNanos(unusedCacheTime));
    }

    private <S extends Schema> StoreLease<S> retain(StoreDefinition<S> definition, String storeId, long nanos) {
        RegistryEntry e = storeId == null ? null : entries.get(storeId);
        if (e != null && e.definition == definition && (nanos < 0 || nanos == e.defaultNanos) && e.tryFastRetain()) {
            // Lock-free: a READY store whose current period asks for the default time.
            if (!e.store.isClosed()) {
                counters.hits.increment();
                return new StoreLease<>(this, e, nanos);
            }
            release(e); // counted on a store that closed itself: the slow path replaces it
        }
        return new StoreLease<>(this, access(definition, storeId, nanos), nanos);
    }

    /**
     * Loads the store without retaining it, and never throws (R7): the stage always completes
     * normally, whether the load succeeded, failed, or the input was invalid. An unretained preloaded
     * store is disposed after its unusedCacheTime (and not within {@link #HAND_OUT_HOLD}).
     */
    public CompletionStage<Void> preload(StoreDefinition<?> definition, String storeId) {
        try {
            return getOrLoad(definition, storeId).handle((store, failure) -> null);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "preload of '" + storeId + "' ignored: " + e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }

    /** True when the store is loaded (active or inactive) for this definition. */
    public boolean has(StoreDefinition<?> definition, String storeId) {
        RegistryEntry e = storeId == null ? null : entries.get(storeId);
        return e != null && e.definition == definition && e.phase == RegistryEntry.Phase.READY;
    }

    /** The slow path of every access; {@code nanos} -2 for unretained, else the retention's time (-1: default). */
    private RegistryEntry access(StoreDefinition<?> definition, String storeId, long nanos) {
        Objects.requireNonNull(definition, "definition");
        ensureOpen();
        StoreIds.requireValid(definition.name(), storeId);
        DefinitionTable.DefinitionRuntime runtime = definitions.runtime(definition);
        while (true) {
            RegistryEntry e = entries.get(storeId);
            boolean created = false;
            if (e == null || !e.usable()) {
                // Chain on the previous instance until it has fully closed (R11).
                RegistryEntry previous = e != null && !e.closed.isDone() ? e : null;
                RegistryEntry fresh = new RegistryEntry(definition, storeId, runtime.defaultNanos(),
                        lifecycle.holdNanos(), previous);
                boolean installed = e == null ? entries.putIfAbsent(storeId, fresh) == null : entries.replace(storeId, e, fresh);
                if (!installed) {
                    continue;
                }
                e = fresh;
                created = true;
            }
            boolean failedStore = false;
            synchronized (e.lock) {
                if (!e.usable() || e.claimedForClosing()) {
                    continue; // disposed between lookup and lock: take the next instance (R11)
                }
                if (e.definition != definition) {
                    throw new StoreIdConflictException("storeId '" + storeId + "' is loaded for definition '"
                            + e.definition.name() + "' and cannot also be used with definition '" + definition.name()
                            + "': a storeId belongs to one definition");
                }
                if (e.phase == RegistryEntry.Phase.READY && e.store.isClosed()) {
                    failedStore = true;
                } else if (nanos >= -1) {
                    e.addRetentionLocked(nanos);
                } else {
                    lifecycle.addTransientLocked(e);
                }
            }
            if (failedStore) {
                LOG.log(Level.WARNING, e.describe() + " closed itself (storage failure); loading a fresh instance");
                lifecycle.dispose(e, DisposalCause.STORE_FAILED, true, false);
                continue;
            }
            if (created) {
                counters.misses.increment();
                if (closed.get()) {
                    // close() may have taken its list before this entry was installed.
                    lifecycle.dispose(e, DisposalCause.REGISTRY_CLOSED, true, true);
                    throw DisposalExceptions.registryClosed();
                }
                loading.startLoad(e, runtime.opener());
            } else {
                counters.hits.increment();
            }
            return e;
        }
    }

    /** Called by {@link StoreLease#close()}. */
    void release(RegistryEntry e) {
        long now = threads.coarseNow();
        int left = e.tryFastRelease(now);
        if (left < 0) {
            lifecycle.releaseSlow(e);
        } else if (left == 0) {
            lifecycle.afterFastRelease(e, now);
        }
        bound.enforce();
    }

    // ------------------------------------------------------------------ drop, clear, close

    /**
     * Closes and removes the store now, even if retained (R10), and waits (at most the close timeout)
     * until it is closed: an in-flight commit finishes first (S7). A load in progress is cancelled, and
     * a store it still opens is closed when it returns. Open leases on it then fail with
     * {@link StoreDroppedException}.
     */
    public void drop(StoreDefinition<?> definition, String storeId) {
        Objects.requireNonNull(definition, "definition");
        ensureOpen();
        StoreIds.requireValid(definition.name(), storeId);
        RegistryEntry e = entries.get(storeId);
        if (e == null) {
            return;
        }
        if (e.definition != definition && e.usable()) {
            throw new StoreIdConflictException("cannot drop storeId '" + storeId + "' for definition '" + definition.name()
                    + "': it is loaded for definition '" + e.definition.name() + "'");
        }
        ParallelClose.await(lifecycle.dispose(e, DisposalCause.DROPPED, true, true), options.closeTimeout(), List.of(e));
    }

    /** Drops every store (R10), closing them in parallel; waits at most the close timeout. */
    public void clear() {
        ensureOpen();
        ParallelClose.disposeAll(new ArrayList<>(entries.values()), DisposalCause.CLEARED, options.closeTimeout(), threads, lifecycle);
    }

    /**
     * Closes every store in parallel, waiting at most {@link RegistryOptions#closeTimeout()}, then the
     * registry's own threads (R15). Every later access fails with {@link RegistryClosedException}.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // the follower first: no catch-up (nor a listener it runs) works on a store while it is being closed
        UpstreamFollower.close(follower);
        ParallelClose.disposeAll(new ArrayList<>(entries.values()), DisposalCause.REGISTRY_CLOSED, options.closeTimeout(),
                threads, lifecycle);
        threads.shutdown();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    // ------------------------------------------------------------------ observation

    /** Counters since the registry was created (R16). */
    public RegistryStats stats() {
        return RegistryObservation.stats(entries.values(), counters);
    }

    /** Every store the registry holds with its state, retentions and time left before disposal (R16). */
    public RegistrySnapshot snapshot() {
        return new RegistrySnapshot(RegistryObservation.stores(entries.values(), threads), stats());
    }

    /**
     * For tests: throws {@link AssertionError} unless every invariant of {@link RegistryInvariants} holds,
     * retrying for up to 5 s while transitions (closes on other threads) complete.
     */
    void checkInvariants() {
        RegistryInvariants.check(this);
    }

    /** For {@link RegistryInvariants}: the entries and the loaded count, as the registry holds them. */
    Iterable<RegistryEntry> entries() {
        return entries.values();
    }

    UpstreamFollower follower() { // for tests: null in single-node mode
        return follower;
    }

    RegistryEntry entry(String storeId) {
        return entries.get(storeId);
    }

    int loadedCount() {
        return counters.loaded.get();
    }

    // ------------------------------------------------------------------ helpers

    private void ensureOpen() {
        if (closed.get()) {
            throw DisposalExceptions.registryClosed();
        }
    }
}
