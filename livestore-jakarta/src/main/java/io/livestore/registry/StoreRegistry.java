package io.livestore.registry;

import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreIds;
import io.livestore.store.StoreOpener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

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
 */
public class StoreRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreRegistry.class.getName());

    private enum Access { TRANSIENT, RETAIN }

    /** What the registry keeps per definition: the definition instance, its opener and default time. */
    private record DefinitionRuntime(StoreDefinition<?> definition, StoreOpener<?> opener, long defaultNanos) { }

    private final RegistryOptions options;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final Scheduler scheduler;
    private final SystemScheduler ownedScheduler;
    private final StoreLoader loader;
    private final ConcurrentHashMap<String, RegistryEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DefinitionRuntime> definitions = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger loadedCount = new AtomicInteger();
    private final int maxLoadedStores;

    private final HitCounter hits = new HitCounter();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();
    private final Map<DisposalCause, LongAdder> disposals = new EnumMap<>(DisposalCause.class);

    /** A registry with {@link RegistryOptions#defaults()}. */
    public StoreRegistry() {
        this(RegistryOptions.defaults());
    }

    /** A registry with the given options. */
    public StoreRegistry(RegistryOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        if (options.executor() != null) {
            this.executor = options.executor();
            this.ownedExecutor = null;
        } else {
            int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "livestore-registry-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            this.executor = pool;
            this.ownedExecutor = pool;
        }
        if (options.scheduler() != null) {
            this.scheduler = options.scheduler();
            this.ownedScheduler = null;
        } else {
            this.ownedScheduler = new SystemScheduler();
            this.scheduler = ownedScheduler;
        }
        this.loader = options.loader();
        this.maxLoadedStores = options.maxLoadedStores().orElse(-1);
        for (DisposalCause c : DisposalCause.values()) {
            disposals.put(c, new LongAdder());
        }
    }

    /** The options this registry was built with. */
    public RegistryOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ access

    /** Transient accesses closer together than this share one clock write on the hot path. */
    private static final long TOUCH_GRANULE_NANOS = 1_000_000;

    /**
     * The store, loading it on first access (R1). Concurrent callers share one load (R2); a failed load
     * reaches them all as the same {@link StoreLoadException} and is then forgotten, so the next call
     * loads again (R9). Does not retain: an unretained store is disposed once its unusedCacheTime has
     * passed since the last access (R4, R7). Use the result at once, or {@link #retain} it.
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
                && !e.store.isClosed() && (e.retentions > 0 || touch(e))) {
            // Hot path: no lock, no allocation. (close() disposes every entry first, so a READY entry
            // also means an open registry.)
            hits.increment();
            return (CompletionStage) e.stage;
        }
        return (CompletionStage) access(definition, storeId, Access.TRANSIENT, -1).stage;
    }

    /** Records a transient access on the hot path; false when the slow path must handle it. */
    private boolean touch(RegistryEntry e) {
        long now = scheduler.nanoTime();
        long last = e.lastAccessNanos;
        if (last == RegistryEntry.NO_ACCESS || now - last >= TOUCH_GRANULE_NANOS) {
            e.lastAccessNanos = now;
        }
        // Disposal writes CLOSING and then re-checks the deadline, which reads lastAccessNanos; we
        // write lastAccessNanos and then read phase: one of the two sees the other.
        return e.phase == RegistryEntry.Phase.READY;
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
        if (e == null || e.definition != definition || closed.get() || !tryRetain(e, nanos)) {
            e = access(definition, storeId, Access.RETAIN, nanos);
        } else {
            hits.increment();
        }
        return new StoreLease<>(this, e, nanos);
    }

    private boolean tryRetain(RegistryEntry e, long nanos) {
        synchronized (e) {
            if (!e.usable() || e.phase == RegistryEntry.Phase.READY && e.store.isClosed()) {
                return false;
            }
            addRetention(e, nanos);
            return true;
        }
    }

    /**
     * Loads the store without retaining it, and never throws (R7): the stage always completes
     * normally, whether the load succeeded, failed, or the input was invalid. An unretained preloaded
     * store is disposed after its unusedCacheTime.
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

    private RegistryEntry access(StoreDefinition<?> definition, String storeId, Access access, long nanos) {
        Objects.requireNonNull(definition, "definition");
        ensureOpen();
        StoreIds.requireValid(definition.name(), storeId);
        DefinitionRuntime runtime = runtime(definition);
        while (true) {
            RegistryEntry e = entries.get(storeId);
            boolean created = false;
            if (e == null || !e.usable()) {
                // Chain on the previous instance until it has fully closed (R11).
                RegistryEntry previous = e != null && !e.closed.isDone() ? e : null;
                RegistryEntry fresh = new RegistryEntry(definition, storeId, runtime.defaultNanos(), previous);
                boolean installed = e == null ? entries.putIfAbsent(storeId, fresh) == null : entries.replace(storeId, e, fresh);
                if (!installed) {
                    continue;
                }
                e = fresh;
                created = true;
            }
            boolean failedStore = false;
            synchronized (e) {
                if (!e.usable()) {
                    continue; // disposed between lookup and lock: take the next instance (R11)
                }
                if (e.definition != definition) {
                    throw new StoreIdConflictException("storeId '" + storeId + "' is loaded for definition '"
                            + e.definition.name() + "' and cannot also be used with definition '" + definition.name()
                            + "': a storeId belongs to one definition");
                }
                if (e.phase == RegistryEntry.Phase.READY && e.store.isClosed()) {
                    failedStore = true;
                } else if (access == Access.RETAIN) {
                    addRetention(e, nanos);
                } else {
                    addTransient(e);
                }
            }
            if (failedStore) {
                LOG.log(Level.WARNING, e.describe() + " closed itself (storage failure); loading a fresh instance");
                dispose(e, DisposalCause.STORE_FAILED, true, false);
                continue;
            }
            if (created) {
                misses.increment();
                if (closed.get()) {
                    // close() may have taken its list before this entry was installed.
                    dispose(e, DisposalCause.REGISTRY_CLOSED, true, true);
                    throw closedException();
                }
                startLoad(e, runtime);
            } else {
                hits.increment();
            }
            return e;
        }
    }

    /** Under the entry's monitor. */
    private void addRetention(RegistryEntry e, long nanos) {
        long wanted = nanos < 0 ? e.defaultNanos : nanos;
        if (e.retentions == 0 && !e.transientHold) {
            e.busyMaxNanos = wanted; // a new period of use starts (R6)
        } else {
            e.busyMaxNanos = Math.max(e.busyMaxNanos, wanted);
        }
        e.retentions++;
    }

    /** Under the entry's monitor. */
    private void addTransient(RegistryEntry e) {
        if (e.phase == RegistryEntry.Phase.LOADING) {
            e.transientHold = true;
        } else {
            e.lastAccessNanos = scheduler.nanoTime();
            if (e.retentions == 0) {
                armIdleTimer(e);
            }
        }
    }

    /** Called by {@link StoreLease#close()}. */
    void release(RegistryEntry e) {
        boolean disposeNow = false;
        synchronized (e) {
            if (!e.usable() || e.retentions == 0) {
                return; // dropped, cleared or closed meanwhile
            }
            e.retentions--;
            if (e.retentions == 0 && !e.transientHold) {
                disposeNow = beginIdle(e);
            }
        }
        if (disposeNow) {
            dispose(e, DisposalCause.EXPIRED, false, false);
        }
        enforceBound(null);
    }

    /** Under the entry's monitor: the store just became unused. Returns true when it is due at once. */
    private boolean beginIdle(RegistryEntry e) {
        long now = scheduler.nanoTime();
        e.idleNanos = e.busyMaxNanos < 0 ? e.defaultNanos : e.busyMaxNanos;
        e.idleSinceNanos = now;
        e.busyMaxNanos = -1;
        long deadline = e.deadline();
        if (deadline <= now) {
            return true;
        }
        armIdleTimer(e, deadline, now);
        return false;
    }

    /** Under the entry's monitor: makes sure a timer fires no later than the entry's deadline. */
    private void armIdleTimer(RegistryEntry e) {
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
        long delay = Math.max(0, deadline - (knownNow >= 0 ? knownNow : scheduler.nanoTime()));
        e.timerDueNanos = deadline;
        e.timer = scheduler.schedule(() -> onTimer(e, token), Duration.ofNanos(delay));
    }

    private void onTimer(RegistryEntry e, long token) {
        synchronized (e) {
            if (token != e.timerToken) {
                return;
            }
            e.timer = null;
            if (!e.usable() || e.retentions > 0 || e.transientHold) {
                return; // in use again: the next release arms a new timer (R4)
            }
            if (scheduler.nanoTime() < e.deadline()) {
                armIdleTimer(e);
                return;
            }
        }
        dispose(e, DisposalCause.EXPIRED, false, false);
    }

    // ------------------------------------------------------------------ loading

    private void startLoad(RegistryEntry e, DefinitionRuntime runtime) {
        Runnable task = () -> runLoad(e, runtime);
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
            executor.execute(task);
        } catch (RejectedExecutionException rejected) {
            loadFailed(e, rejected);
        }
    }

    private void runLoad(RegistryEntry e, DefinitionRuntime runtime) {
        // With a caller-runs executor this is the caller's thread: its interrupt is not a cancellation.
        boolean callerInterrupted = Thread.interrupted();
        Store<?> store = null;
        Throwable failure = null;
        try {
            synchronized (e) {
                if (e.phase != RegistryEntry.Phase.LOADING) {
                    return; // disposed before it started; dispose() finished the entry
                }
                e.loadingThread = Thread.currentThread();
                e.loadStarted = true;
                e.loadStartNanos = System.nanoTime();
            }
            try {
                store = loader.load(e.definition, runtime.opener(), e.storeId, () -> e.cancelled);
                if (store == null) {
                    failure = new NullPointerException("the StoreLoader returned null");
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                synchronized (e) {
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

    private void loaded(RegistryEntry e, Store<?> store) {
        boolean discard = false;
        boolean disposeNow = false;
        synchronized (e) {
            if (e.phase != RegistryEntry.Phase.LOADING) {
                discard = true; // dropped, disposed or the registry closed while loading (R10)
            } else {
                e.store = store;
                e.phase = RegistryEntry.Phase.READY;
                loadedCount.incrementAndGet();
                loads.increment();
                loadNanos.add(System.nanoTime() - e.loadStartNanos);
                boolean hadTransient = e.transientHold;
                e.transientHold = false;
                if (hadTransient) {
                    e.lastAccessNanos = scheduler.nanoTime(); // the waiting accesses happen now
                }
                if (e.retentions == 0) {
                    if (hadTransient) {
                        disposeNow = beginIdle(e);
                    } else {
                        armIdleTimer(e); // its leases closed during the load: that idle period goes on
                        disposeNow = e.deadline() <= scheduler.nanoTime();
                    }
                }
            }
        }
        if (discard) {
            closeQuietly(e, store); // never leak a store whose entry is gone
            finish(e);
            return;
        }
        e.loaded.complete(store);
        if (disposeNow) {
            dispose(e, DisposalCause.EXPIRED, false, false);
        }
        enforceBound(e);
    }

    private void loadFailed(RegistryEntry e, Throwable failure) {
        boolean discard;
        synchronized (e) {
            discard = e.phase != RegistryEntry.Phase.LOADING;
            if (!discard) {
                e.phase = RegistryEntry.Phase.CLOSING;
                if (e.timer != null) {
                    e.timer.cancel();
                    e.timer = null;
                }
            }
        }
        if (discard) {
            finish(e);
            return;
        }
        loadFailures.increment();
        StoreLoadException shared = failure instanceof StoreLoadException sle ? sle
                : new StoreLoadException(e.describe() + ": load failed: " + failure, failure);
        shared.concerning(e.definition.name(), e.storeId);
        LOG.log(Level.WARNING, shared.getMessage());
        // Removed before the waiters hear of it, so a waiter that retries gets a fresh load (R9).
        finish(e);
        e.loaded.completeExceptionally(shared);
    }

    /**
     * Marks an entry closed and removes it, once its predecessor has closed too: a successor created
     * meanwhile must never open the files while an older instance still holds them (R11).
     */
    private void finish(RegistryEntry e) {
        synchronized (e) {
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

    // ------------------------------------------------------------------ disposal

    /**
     * Disposes an entry that is loading or loaded. A loaded store is closed on this thread when
     * {@code inline}, else on the executor, so timer and bound disposals never block the timer thread.
     * Returns a future that completes when the entry is fully closed; null when it was in use (and not
     * {@code force}d) or not yet expired. An entry already closing returns its pending close.
     */
    private CompletableFuture<Void> dispose(RegistryEntry e, DisposalCause cause, boolean force, boolean inline) {
        Store<?> toClose = null;
        boolean cancelLoad = false;
        boolean finishNow = false;
        synchronized (e) {
            if (!e.usable()) {
                return e.closed;
            }
            if (!force) {
                if (e.retentions > 0 || e.transientHold) {
                    return null;
                }
                if (cause == DisposalCause.EXPIRED && scheduler.nanoTime() < e.deadline()) {
                    armIdleTimer(e); // used again since the decision was taken
                    return null;
                }
            }
            RegistryEntry.Phase was = e.phase;
            e.phase = RegistryEntry.Phase.CLOSING;
            if (cause == DisposalCause.EXPIRED && scheduler.nanoTime() < e.deadline()) {
                e.phase = was; // a hot-path access slipped in (see touch): it keeps the store
                armIdleTimer(e);
                return null;
            }
            e.closeCause = cause;
            if (e.timer != null) {
                e.timer.cancel();
                e.timer = null;
            }
            disposals.get(cause).increment();
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
                loadedCount.decrementAndGet();
                toClose = e.store;
            }
        }
        if (cancelLoad) {
            e.loaded.completeExceptionally(goneException(e));
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
            try {
                executor.execute(close);
            } catch (RejectedExecutionException rejected) {
                close.run();
            }
        }
        return e.closed;
    }

    private void closeQuietly(RegistryEntry e, Store<?> store) {
        try {
            store.close();
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, e.describe() + ": closing failed", ex);
        }
    }

    /** A candidate for eviction, with its last use read once so sorting sees stable keys. */
    private record Candidate(long lastUsed, RegistryEntry entry) { }

    /**
     * R14: beyond the bound, dispose the least recently used unretained stores. The store that has
     * just loaded is spared: its loader is about to use it.
     */
    private void enforceBound(RegistryEntry justLoaded) {
        if (maxLoadedStores < 0 || loadedCount.get() <= maxLoadedStores) {
            return;
        }
        List<Candidate> idle = new ArrayList<>();
        for (RegistryEntry e : entries.values()) {
            if (e != justLoaded && e.phase == RegistryEntry.Phase.READY && e.retentions == 0) {
                idle.add(new Candidate(e.lastUsedNanos(), e));
            }
        }
        idle.sort(Comparator.comparingLong(Candidate::lastUsed));
        for (Candidate c : idle) {
            if (loadedCount.get() <= maxLoadedStores) {
                return;
            }
            dispose(c.entry(), DisposalCause.BOUND, false, false);
        }
    }

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
        await(dispose(e, DisposalCause.DROPPED, true, true), options.closeTimeout(), List.of(e));
    }

    /** Drops every store (R10), closing them in parallel; waits at most the close timeout. */
    public void clear() {
        ensureOpen();
        disposeAll(DisposalCause.CLEARED, options.closeTimeout());
    }

    private void disposeAll(DisposalCause cause, Duration timeout) {
        List<RegistryEntry> all = new ArrayList<>(entries.values());
        if (all.isEmpty()) {
            return;
        }
        ExecutorService closers = Executors.newFixedThreadPool(Math.min(8, all.size()), r -> {
            Thread t = new Thread(r, "livestore-registry-close");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (RegistryEntry e : all) {
                closing.add(CompletableFuture.supplyAsync(() -> dispose(e, cause, true, true), closers)
                        .thenCompose(f -> f == null ? CompletableFuture.completedFuture(null) : f));
            }
            await(CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)), timeout, all);
        } finally {
            closers.shutdown();
        }
    }

    private void await(CompletableFuture<Void> closing, Duration timeout, List<RegistryEntry> entries) {
        if (closing == null) {
            return;
        }
        try {
            closing.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
            List<String> open = new ArrayList<>();
            for (RegistryEntry e : entries) {
                if (!e.closed.isDone()) {
                    open.add(e.storeId);
                }
            }
            LOG.log(Level.WARNING, "stores not closed within " + timeout + ": " + open);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException ex) {
            LOG.log(Level.WARNING, "closing stores failed", ex.getCause());
        }
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
        disposeAll(DisposalCause.REGISTRY_CLOSED, options.closeTimeout());
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                if (!ownedExecutor.awaitTermination(1, TimeUnit.SECONDS)) {
                    // Past the deadline: run what is still queued (closes of expired stores) rather than drop it.
                    ownedExecutor.shutdownNow().forEach(Runnable::run);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    // ------------------------------------------------------------------ observation

    /** Counters since the registry was created (R16). */
    public RegistryStats stats() {
        Map<DisposalCause, Long> byCause = new EnumMap<>(DisposalCause.class);
        disposals.forEach((cause, n) -> byCause.put(cause, n.sum()));
        int retained = 0;
        for (RegistryEntry e : entries.values()) {
            if (e.phase == RegistryEntry.Phase.READY && e.retentions > 0) {
                retained++;
            }
        }
        return new RegistryStats(hits.sum(), misses.sum(), loads.sum(), loadFailures.sum(),
                Duration.ofNanos(loadNanos.sum()), Map.copyOf(byCause), loadedCount.get(), retained);
    }

    /** Every store the registry holds with its state, retentions and time left before disposal (R16). */
    public RegistrySnapshot snapshot() {
        List<StoreSnapshot> stores = new ArrayList<>();
        long now = scheduler.nanoTime();
        for (RegistryEntry e : entries.values()) {
            synchronized (e) {
                if (e.phase == RegistryEntry.Phase.CLOSED) {
                    continue;
                }
                StoreState state = e.state();
                long effective = e.effectiveNanos();
                java.util.Optional<Duration> left = java.util.Optional.empty();
                if (state == StoreState.INACTIVE && e.deadline() != Long.MAX_VALUE) {
                    left = java.util.Optional.of(Duration.ofNanos(Math.max(0, e.deadline() - now)));
                }
                stores.add(new StoreSnapshot(e.storeId, e.definition.name(), state, e.retentions,
                        UnusedCacheTimes.toDuration(effective), left));
            }
        }
        stores.sort(Comparator.comparing(StoreSnapshot::storeId));
        return new RegistrySnapshot(List.copyOf(stores), stats());
    }

    // ------------------------------------------------------------------ helpers

    private DefinitionRuntime runtime(StoreDefinition<?> definition) {
        Objects.requireNonNull(definition, "definition");
        DefinitionRuntime runtime = definitions.get(definition.name());
        if (runtime == null) {
            long nanos = UnusedCacheTimes.toNanos(definition.unusedCacheTime().orElse(options.defaultUnusedCacheTime()));
            runtime = definitions.computeIfAbsent(definition.name(),
                    n -> new DefinitionRuntime(definition, definition.openerFor(options.storage()), nanos));
        }
        if (runtime.definition() != definition) {
            throw new DefinitionConflictException("two different definitions named '" + definition.name()
                    + "' were used with this registry (" + runtime.definition() + " and " + definition
                    + "); define each store kind once and share the instance");
        }
        return runtime;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw closedException();
        }
    }

    private RegistryClosedException closedException() {
        return new RegistryClosedException("the store registry is closed; no stores are handed out after close()");
    }

    /** The exception for an access to an entry that was disposed under it. */
    RuntimeException goneException(RegistryEntry e) {
        if (e.closeCause == DisposalCause.REGISTRY_CLOSED) {
            return closedException();
        }
        String how = e.closeCause == null ? "closed" : switch (e.closeCause) {
            case DROPPED -> "dropped";
            case CLEARED -> "cleared from the registry";
            case BOUND -> "evicted by the maxLoadedStores bound";
            case EXPIRED -> "disposed after its unusedCacheTime";
            case REGISTRY_CLOSED -> "closed with the registry";
            case STORE_FAILED -> "closed after a storage failure";
        };
        StoreDroppedException gone = new StoreDroppedException(e.describe() + " was " + how
                + " while this caller used or awaited it; access it again for a fresh instance");
        gone.concerning(e.definition.name(), e.storeId);
        return gone;
    }
}
