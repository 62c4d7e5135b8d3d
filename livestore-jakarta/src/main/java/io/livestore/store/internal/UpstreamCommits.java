package io.livestore.store.internal;

import io.livestore.store.CommitConflictException;
import io.livestore.store.StoreClosedException;
import io.livestore.store.InvalidEventException;
import io.livestore.store.MaterializerException;
import io.livestore.store.SchemaBehindLogException;
import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A store's writes when its log lives upstream (cluster mode, DESIGN.md §8): the commit path of Y3 and
 * the catch-up that brings the local copy up to the upstream log (Y4, Y5). Everything here runs under the
 * store's lock, so commits, catch-ups and queries of one store are ordered; the lock is held across the
 * upstream call, because the local transaction it belongs to is open meanwhile.
 *
 * <p>A commit: validate (before the lock, {@link EventBatch}), materialize into the local transaction,
 * append upstream with the local head as the expected head, then COMMIT locally and acknowledge.
 * <ul>
 *   <li>Conflict: the local transaction is rolled back, the events the answer carries (and any further
 *       ones, pulled) are applied, and the commit is materialized again on top of them — at most
 *       {@code maxAttempts} tries, then {@link CommitConflictException}. The events keep their ids and
 *       their creation time in every try.</li>
 *   <li>Unavailable: the transaction is rolled back and {@link UpstreamUnavailableException} reaches
 *       the caller: nothing was written. When the upstream says the outcome is unknown (its answer was
 *       cut off during its COMMIT), the append is tried once more with the same event ids, which tells
 *       the outcome; if that is cut off too, {@link CommitOutcomeUnknownException}: not acknowledged,
 *       possibly written — a written one arrives like any other node's commit.</li>
 *   <li>A log that is not the one this copy follows (another backendId, a head behind this copy, or
 *       gone — restored or recreated): the store closes itself and the next access loads it afresh.</li>
 *   <li>The local COMMIT failing after the append succeeded: the events are in the log, so the commit
 *       is acknowledged; the store re-reads them from upstream at once, and if even that fails it closes
 *       itself, so that it never serves a state without them (a registry then loads a fresh copy,
 *       which catches up).</li>
 * </ul>
 * An event name the schema does not declare, met in the log, stops the store's commits (Y8): it is never
 * skipped, and reads keep answering the state before it.
 */
final class UpstreamCommits {

    private static final System.Logger LOG = System.getLogger(UpstreamCommits.class.getName());

    /** Events per pull while catching up. */
    static final int PAGE = 500;
    /** The Retry-After of a store stopped by an unknown event: a redeploy takes minutes, not seconds. */
    private static final Duration SCHEMA_RETRY_AFTER = Duration.ofSeconds(60);

    private final SqliteStore<?> store;
    private final Upstream upstream;
    private final int maxAttempts;
    /**
     * The highest head this node's own appends reached in the upstream log. Its announcement comes back
     * to this node's listener, often before the commit that made it has finished locally; that commit
     * applies those events, or closes the copy if it cannot, so the follower need not catch up for it.
     * Only this commit's own events count (expected head + their number), never a head a retry reports.
     */
    private volatile long ownAppendedHead;

    /** Under the store's lock (one writer): this node's own append reached {@code head} ({@link #ownAppendedHead}). */
    void appendedUpTo(long head) {
        ownAppendedHead = Math.max(ownAppendedHead, head);
    }

    SqliteStore<?> store() {
        return store;
    }
    /** Set once the log shows an event the schema does not know (Y8); then commits are refused. */
    private volatile SchemaBehindLogException refusal;

    UpstreamCommits(SqliteStore<?> store, Upstream upstream, int maxAttempts) {
        this.store = store;
        this.upstream = upstream;
        this.maxAttempts = maxAttempts;
    }

    Upstream upstream() {
        return upstream;
    }

    /** Throws the Y8 refusal when the log holds an event the schema does not know. */
    void requireCommitsAccepted() {
        SchemaBehindLogException r = refusal;
        if (r != null) {
            throw new SchemaBehindLogException(r.detail(), r.eventName(), SCHEMA_RETRY_AFTER); // fresh: each names its call
        }
    }

    /** The commit path (Y3), under the lock. Returns the seqNum of the commit's last event. */
    long commit(EventBatch batch, long now) {
        requireCommitsAccepted();
        Set<String> ours = new HashSet<>(List.of(batch.eventIds));
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long expected = store.headLocked();
            List<LogEvent> events = batch.logEvents(expected + 1, now);
            UpstreamAppend append = new UpstreamAppend(this, expected, events);
            Tables written;
            try {
                written = store.writeLocked(batch, now, append);
            } catch (UpstreamAppend.Rebase rebase) {
                Long mine = rebaseOnto(rebase.conflict, expected, ours);
                if (mine != null) {
                    return mine; // an earlier try of this commit was written after all: applied from the log
                }
                continue;
            } catch (UpstreamAppend.LogVanished vanished) {
                throw logReplaced("its log is gone");
            } catch (RuntimeException e) {
                if (append.ok == null) {
                    throw e;
                }
                return committedUpstreamOnly(e, expected + events.size());
            }
            // Durable upstream and locally from here on: nothing may throw. The backendId was written
            // in the transaction (Append.run); only the store's cached copy follows.
            store.backendIdRecorded(append.ok.backendId());
            store.notifyCommitted(written);
            return expected + events.size();
        }
        throw new CommitConflictException(store.where() + ": the commit lost to other nodes' commits " + maxAttempts
                + " times in a row (each time their events were applied and the commit tried again on top of them); "
                + "nothing was written, try again");
    }

    /**
     * After a conflict: checks that the upstream log is still the one this copy follows, and applies the
     * events it has beyond {@code expected}. Returns the seqNum of the last of {@code ours} when an earlier
     * try had written them after all, else null.
     */
    private Long rebaseOnto(AppendResult.Conflict conflict, long expected, Set<String> ours) {
        LogHead theirs = conflict.head();
        if (expected > 0 && theirs.head() < expected) {
            throw logReplaced("its log is now behind this copy (head " + theirs.head() + ", this copy " + expected + ")");
        }
        if (expected > 0 && !theirs.backendId().equals(store.backendId())) {
            if (!sameEventAt(expected)) {
                throw logReplaced("its log was created anew (another identity and other events)");
            }
            adopt(theirs); // the same events: only the identity had not been recorded
        }
        Long mine = catchUpFrom(conflict.missing(), theirs.head(), ours);
        if (expected == 0) {
            adopt(theirs); // an empty copy: now the log's events only, so the log's identity
        }
        return mine;
    }

    /**
     * A batch a LiveStore client pushed (L3, see {@link LocalLog#push}), under the lock: appended upstream
     * only at the head its first event continues, never rebased (the client rebases). A copy behind that
     * head catches up first; a conflict applies the log's newer events, so that the client's live pull
     * gets them, and answers "behind".
     */
    LocalLog.Pushed push(EventBatch batch, long now) {
        requireCommitsAccepted();
        long expected = batch.firstSeqNum - 1;
        if (expected > store.headLocked()) {
            catchUp(Long.MAX_VALUE);
        }
        if (expected != store.headLocked()) {
            return new LocalLog.Pushed(false, store.headLocked());
        }
        List<LogEvent> events = batch.logEvents(expected + 1, now);
        UpstreamAppend append = new UpstreamAppend(this, expected, events);
        Tables written;
        try {
            written = store.writeLocked(batch, now, append);
        } catch (UpstreamAppend.Rebase rebase) {
            Long mine = rebaseOnto(rebase.conflict, expected, new HashSet<>(List.of(batch.eventIds)));
            return new LocalLog.Pushed(mine != null, store.headLocked());
        } catch (UpstreamAppend.LogVanished vanished) {
            throw logReplaced("its log is gone");
        } catch (RuntimeException e) {
            if (append.ok == null) {
                throw e;
            }
            return new LocalLog.Pushed(true, committedUpstreamOnly(e, expected + events.size()));
        }
        store.backendIdRecorded(append.ok.backendId());
        store.notifyCommitted(written);
        return new LocalLog.Pushed(true, expected + events.size());
    }

    /**
     * The upstream log's identity, under the lock: a copy with events has it already; an empty copy asks
     * the upstream, which creates the (empty) log if need be, and takes its backendId.
     */
    String settledBackendId() {
        if (store.headLocked() == 0) {
            adopt(upstream.createLog(store.storeId()));
        }
        return store.backendId();
    }

    /**
     * Pulls and applies the upstream log after the local head until its end, under the lock (Y4, Y5).
     * A store stopped by an unknown event (Y8) stays where it is.
     *
     * @return the local head after it
     * @throws UpstreamUnavailableException the log cannot be read; what was applied before stays
     */
    long catchUp(long maxEvents) {
        if (refusal == null) {
            long from = store.headLocked();
            boolean empty = from == 0;
            catchUpFrom(List.of(), Long.MAX_VALUE - from < maxEvents ? Long.MAX_VALUE : from + maxEvents, Set.of());
            if (empty && store.headLocked() > 0) {
                // An empty copy now holds the log's events only: it takes the log's identity (Y6).
                upstream.head(store.storeId()).ifPresent(this::adopt);
            }
        }
        return store.headLocked();
    }

    /** True when the upstream log's event at {@code seqNum} is this copy's (same event id). */
    private boolean sameEventAt(long seqNum) {
        List<LogEvent> theirs = upstream.pull(store.storeId(), seqNum - 1, 1);
        List<LogEvent> ours = store.localLog().logEventsAfter(seqNum - 1, 1);
        return !theirs.isEmpty() && !ours.isEmpty() && theirs.get(0).eventId().equals(ours.get(0).eventId());
    }

    /**
     * Applies {@code first} (events after some earlier head), then pulls until {@code target} or the
     * log's end. Returns the seqNum of the last of {@code ours} when they were among the applied events.
     */
    private Long catchUpFrom(List<LogEvent> first, long target, Set<String> ours) {
        List<LogEvent> page = first;
        Long mine = null;
        while (true) {
            long head = store.headLocked();
            List<LogEvent> fresh = new ArrayList<>(page.size());
            for (LogEvent e : page) {
                if (e.seqNum() > head) {
                    fresh.add(e);
                }
            }
            if (!fresh.isEmpty()) {
                apply(fresh);
                for (LogEvent e : fresh) {
                    if (ours.contains(e.eventId())) {
                        mine = e.seqNum();
                    }
                }
            }
            head = store.headLocked();
            if (head >= target || refusal != null) {
                return mine;
            }
            page = upstream.pull(store.storeId(), head, PAGE);
            if (page.isEmpty()) {
                return mine;
            }
        }
    }

    /**
     * Applies the events before the first one this node cannot apply, then stops the store at that one
     * (Y8): an event name its schema does not declare, or a known event its schema refuses or its
     * materializer fails on (a rolling deploy whose versions disagree, e.g. a component no longer
     * nullable). Either way the event is in the log, so it is never skipped, and a commit retried on
     * top of it could only conflict again: commits are refused, naming the event, until the node runs a
     * schema that applies it.
     */
    private void apply(List<LogEvent> events) {
        int known = 0;
        boolean keep = store.schema().keepsUnknownEvents();
        while (known < events.size() && (keep || store.schema().eventNames().contains(events.get(known).name()))) {
            known++;
        }
        if (known > 0) {
            List<LogEvent> part = known == events.size() ? events : events.subList(0, known);
            try {
                applyKnown(part);
            } catch (InvalidEventException | MaterializerException refused) {
                if (causedBySqlite(refused)) {
                    throw refused; // the disk or SQLite failed, not the schema: the catch-up is tried again later
                }
                // Nothing of the batch was written: apply one by one up to the event that fails, and stop there.
                for (LogEvent one : part) {
                    try {
                        applyKnown(List.of(one));
                    } catch (InvalidEventException | MaterializerException failed) {
                        if (causedBySqlite(failed)) {
                            throw failed;
                        }
                        throw refuse(one, "which this node cannot apply (its schema or materializer refuses it: "
                                + "another node runs a different version)", failed);
                    }
                }
            }
        }
        if (known < events.size()) {
            throw refuse(events.get(known), "which this node's schema does not declare (another node runs a newer "
                    + "version)", null);
        }
    }

    private static boolean causedBySqlite(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    private void applyKnown(List<LogEvent> part) {
        EventBatch batch = EventBatch.fromLog(store.schema(), part, store.storeId(), store.where());
        store.notifyCommitted(store.writeLocked(batch, 0, null));
    }

    /** Stops the store at {@code event} (Y8): later commits get {@link #refusal}; reads go on. */
    private SchemaBehindLogException refuse(LogEvent event, String why, RuntimeException cause) {
        refusal = new SchemaBehindLogException(store.where() + ": its log holds event " + event.seqNum() + " '"
                + event.name() + "', " + why + "; commits are refused on this node until it is deployed with a "
                + "schema that applies '" + event.name() + "'; reads answer the state before that event", event.name(),
                SCHEMA_RETRY_AFTER);
        if (cause != null) {
            LOG.log(Level.WARNING, refusal.getMessage(), cause);
        } else {
            LOG.log(Level.WARNING, refusal.getMessage());
        }
        return new SchemaBehindLogException(refusal.detail(), event.name(), SCHEMA_RETRY_AFTER);
    }

    /** The first commit creates the upstream log with a fresh backendId: the local log takes it (Y6). */
    private void adopt(LogHead head) {
        if (!head.backendId().equals(store.backendId())) {
            store.localLog().adoptBackendId(head.backendId());
        }
    }

    /**
     * The upstream log is not the one this copy follows any more — restored from a backup, wiped, or
     * created anew (Y6): this copy cannot be trusted to rebase on it. The store closes itself, so the
     * next access loads it afresh (the registry then checks the file against the log), and nothing of
     * the commit was written.
     */
    private StoreClosedException logReplaced(String what) {
        String message = store.where() + ": " + what + "; this copy closes and the store is loaded afresh on its next "
                + "use; nothing of the commit was written";
        LOG.log(Level.WARNING, message);
        store.closeLocked(message);
        return new StoreClosedException(message);
    }

    /** The local COMMIT failed after the upstream took the events: read them back, or close (see class doc). */
    private long committedUpstreamOnly(RuntimeException failure, long last) {
        LOG.log(Level.ERROR, store.where() + ": the upstream log took a commit (up to seqNum " + last + ") but the "
                + "local COMMIT failed; reading it back from the log", failure);
        try {
            if (!store.isClosed()) {
                catchUpFrom(List.of(), last, Set.of());
                if (store.headLocked() >= last) {
                    return last;
                }
            }
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
        }
        LOG.log(Level.ERROR, store.where() + ": its local copy lacks events of its log; closing it", failure);
        store.closeLocked("its local copy failed after the upstream log took a commit; get it again to catch up");
        return last;
    }

    /** True when the events up to {@code head} are in this copy, or are this node's own commit in flight. */
    boolean hasOrIsApplying(long head) {
        return store.publishedHead() >= head || ownAppendedHead >= head;
    }
}
