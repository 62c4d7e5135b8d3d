package io.livestore.registry;

import io.livestore.store.LiveStoreException;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A retention of one store: while any lease on it is open, the registry never disposes it (R3).
 * Counted the moment {@link StoreRegistry#retain} returns, even before the store has loaded (R8).
 * Close it when done — try-with-resources — to let the store's unusedCacheTime start.
 *
 * <pre>{@code
 * try (StoreLease<IssueSchema> lease = registry.retain(ISSUE, "issue-42")) {
 *     Store<IssueSchema> issue = lease.store();     // waits for the load, at most the lease timeout
 *     issue.commit(new IssueRenamed("issue-42", "Crash on save"));
 * }
 * }</pre>
 *
 * @param <S> the schema
 */
public final class StoreLease<S extends Schema> implements AutoCloseable {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(StoreLease.class, "closed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StoreRegistry registry;
    private final RegistryEntry entry;
    /** The unusedCacheTime asked for, or -1 for the definition's (or registry's) default. */
    private final long unusedCacheNanos;
    private volatile int closed;

    StoreLease(StoreRegistry registry, RegistryEntry entry, long unusedCacheNanos) {
        this.registry = registry;
        this.entry = entry;
        this.unusedCacheNanos = unusedCacheNanos;
    }

    /** The retained storeId. */
    public String storeId() {
        return entry.storeId;
    }

    /** The definition of the retained store. */
    @SuppressWarnings("unchecked")
    public StoreDefinition<S> definition() {
        return (StoreDefinition<S>) entry.definition;
    }

    /** The unusedCacheTime this retention asks for (R5, R6). */
    public Duration unusedCacheTime() {
        return UnusedCacheTimes.toDuration(unusedCacheNanos < 0 ? entry.defaultNanos : unusedCacheNanos);
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return closed == 0;
    }

    /**
     * True while this lease is open and its store instance is neither closing nor closed (dropped,
     * cleared, failed): a caller holding it can still expect {@link #store()} to give that instance.
     */
    public boolean isLive() {
        RegistryEntry.Phase phase = entry.phase;
        return isOpen() && phase != RegistryEntry.Phase.CLOSING && phase != RegistryEntry.Phase.CLOSED;
    }

    /** The store, waiting for its load at most the registry's lease timeout. */
    public Store<S> store() {
        return store(registry.options().leaseTimeout());
    }

    /**
     * The store, waiting for its load at most {@code timeout}. Giving up does not cancel the load for
     * anyone else (R13).
     *
     * @throws StoreLoadException        the load failed (the same instance for every waiter)
     * @throws StoreLoadTimeoutException not loaded within {@code timeout}
     * @throws StoreDroppedException     the store was dropped while this lease was open
     * @throws RegistryClosedException   the registry closed
     * @throws LeaseClosedException      this lease is closed
     */
    @SuppressWarnings("unchecked")
    public Store<S> store(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        requireOpen();
        if (entry.phase == RegistryEntry.Phase.READY) {
            return (Store<S>) entry.store;
        }
        Store<?> store;
        try {
            store = entry.loaded.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LiveStoreException le) {
                throw le.concerning(entry.definition.name(), entry.storeId);
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreLoadException(entry.describe() + ": load failed: " + e.getCause(), e.getCause())
                    .concerning(entry.definition.name(), entry.storeId);
        } catch (TimeoutException e) {
            throw new StoreLoadTimeoutException(entry.describe() + " was not loaded within " + timeout
                    + "; the load goes on and later accesses will get it").concerning(entry.definition.name(), entry.storeId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreLoadTimeoutException(entry.describe() + ": interrupted while waiting for the load; the load goes on", e)
                    .concerning(entry.definition.name(), entry.storeId);
        }
        if (entry.phase != RegistryEntry.Phase.READY) {
            throw DisposalExceptions.gone(entry);
        }
        return (Store<S>) store;
    }

    /** Completes with the store once loaded, or with the load's failure. Cannot be completed or cancelled by callers. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CompletionStage<Store<S>> whenLoaded() {
        return (CompletionStage) entry.stage;
    }

    private void requireOpen() {
        if (closed != 0) {
            throw new LeaseClosedException("the lease on " + entry.describe() + " is closed; retain the store again");
        }
    }

    /** Releases the retention (idempotent). When it was the last, the store's unusedCacheTime starts (R4). */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            registry.release(entry);
        }
    }

    @Override
    public String toString() {
        return "StoreLease[" + entry.describe() + (closed == 0 ? ", open]" : ", closed]");
    }
}
