package io.livestore.store.internal;

import io.livestore.store.CommitFailedException;
import io.livestore.store.LiveStoreException;
import io.livestore.store.QueryException;
import io.livestore.store.StoreIds;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The {@link LocalLog} of a {@link SqliteStore}: every call takes the store's lock, so it is ordered with
 * the store's commits and queries.
 */
final class SqliteLocalLog implements LocalLog {

    private final SqliteStore<?> store;

    SqliteLocalLog(SqliteStore<?> store) {
        this.store = store;
    }

    @Override
    public String backendId() {
        return store.backendId();
    }

    @Override
    public LogHead logHead() {
        store.lock().lock();
        try {
            store.ensureOpen();
            return new LogHead(store.backendId(), store.headLocked());
        } finally {
            store.lock().unlock();
        }
    }

    @Override
    public List<LogEvent> logEventsAfter(long afterSeqNum, int limit) {
        if (afterSeqNum < 0 || limit < 1) {
            throw new IllegalArgumentException(store.where() + ": reading the log needs a cursor >= 0 and a limit >= 1, "
                    + "got " + afterSeqNum + " and " + limit);
        }
        store.lock().lock();
        try {
            store.ensureOpen();
            return LogTable.readLog(store.statements(), afterSeqNum, limit);
        } catch (SQLException e) {
            throw new QueryException(store.where() + ": reading the log failed: " + e.getMessage(), e);
        } finally {
            store.lock().unlock();
        }
    }

    @Override
    public long apply(List<LogEvent> events) {
        Objects.requireNonNull(events, "events");
        if (store.upstreamCommits() != null) {
            // Its log lives upstream: events written here only would make this node serve a state the log lacks.
            throw new IllegalStateException(store.where() + " follows an upstream log: events reach it through that log "
                    + "(catchUp), never applied locally only");
        }
        try {
            return store.applyBatch(EventBatch.fromLog(store.schema(), events, store.storeId(), store.where()));
        } catch (LiveStoreException e) {
            throw e.concerning(store.definitionName(), store.storeId());
        }
    }

    @Override
    public long appliedHead() {
        return store.publishedHead();
    }

    @Override
    public boolean hasOrIsApplying(long head) {
        UpstreamCommits upstream = store.upstreamCommits();
        return upstream == null ? store.publishedHead() >= head : upstream.hasOrIsApplying(head);
    }

    @Override
    public long catchUp() {
        return catchUp(Long.MAX_VALUE);
    }

    @Override
    public long catchUp(long maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
        }
        return catchUp(maxEvents, Long.MAX_VALUE);
    }

    @Override
    public long catchUpTo(long announcedHead) {
        return catchUp(Long.MAX_VALUE, announcedHead);
    }

    /** Under one hold of the store's lock: nothing when the head has reached {@code enoughAt}, else the catch-up. */
    private long catchUp(long maxEvents, long enoughAt) {
        store.lock().lock();
        try {
            store.ensureOpen();
            if (store.headLocked() >= enoughAt) {
                return store.headLocked();
            }
            UpstreamCommits upstream = store.upstreamCommits();
            if (upstream == null) {
                throw new IllegalStateException(store.where() + " has no upstream log to catch up with (single-node mode)");
            }
            return upstream.catchUp(maxEvents);
        } catch (LiveStoreException e) {
            throw e.concerning(store.definitionName(), store.storeId());
        } finally {
            store.lock().unlock();
        }
    }

    @Override
    public void adoptBackendId(String backendId) {
        if (!StoreIds.isValidName(backendId)) {
            throw new IllegalArgumentException(store.where() + ": a backendId is 1-128 characters of [A-Za-z0-9._:-], "
                    + "got '" + backendId + "'");
        }
        store.lock().lock();
        try {
            store.ensureOpen();
            StoreMeta.put(store.statements(), StoreMeta.BACKEND_ID, backendId); // auto-commit: one statement, atomic
            store.backendIdRecorded(backendId);
        } catch (SQLException e) {
            throw new CommitFailedException(store.where() + ": recording the backendId failed: " + e.getMessage(), e);
        } finally {
            store.lock().unlock();
        }
    }

    @Override
    public Pushed push(List<LogEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw new IllegalArgumentException(store.where() + ": a push needs at least one event");
        }
        try {
            // Checked and decoded before the lock (S2); whether it continues the log is decided under it.
            return store.pushBatch(EventBatch.fromLog(store.schema(), events, store.storeId(), store.where()));
        } catch (LiveStoreException e) {
            throw e.concerning(store.definitionName(), store.storeId());
        }
    }

    @Override
    public String settledBackendId() {
        UpstreamCommits upstream = store.upstreamCommits();
        if (upstream == null) {
            return store.backendId();
        }
        store.lock().lock();
        try {
            store.ensureOpen();
            return upstream.settledBackendId();
        } catch (LiveStoreException e) {
            throw e.concerning(store.definitionName(), store.storeId());
        } finally {
            store.lock().unlock();
        }
    }

    @Override
    public Tap tap(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        store.lock().lock();
        try {
            store.ensureOpen();
            return store.tapLocked(listener);
        } finally {
            store.lock().unlock();
        }
    }
}
