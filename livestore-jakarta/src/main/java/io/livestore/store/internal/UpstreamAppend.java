package io.livestore.store.internal;

import io.livestore.store.CommitOutcomeUnknownException;
import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.sql.SQLException;
import java.util.List;

/**
 * The upstream append of one write of {@link UpstreamCommits} (a commit, or a LiveStore client's push),
 * run inside the local transaction just before its COMMIT, under the store's lock. What it throws rolls
 * the local transaction back: {@link Rebase} on a conflict, {@link LogVanished}
 * when the log this copy follows is gone. An answer lost during the upstream's COMMIT is settled by one
 * more try with the same event ids; a second loss is {@link CommitOutcomeUnknownException}.
 */
final class UpstreamAppend implements Runnable {

    private final UpstreamCommits commits;
    private final long expected;
    private final List<LogEvent> events;
    /** The log's head after the append, once it succeeded. */
    LogHead ok;

    UpstreamAppend(UpstreamCommits commits, long expected, List<LogEvent> events) {
        this.commits = commits;
        this.expected = expected;
        this.events = events;
    }

    @Override
    public void run() {
        SqliteStore<?> store = commits.store();
        Upstream upstream = commits.upstream();
        AppendResult result;
        try {
            result = upstream.append(store.storeId(), expected, events);
        } catch (UpstreamUnavailableException first) {
            if (!first.outcomeUnknown()) {
                throw first; // it had no effect: nothing to settle, and a second try would only wait again
            }
            // Cut off during its COMMIT: the same ids make a second try safe, and it tells the outcome.
            try {
                result = upstream.append(store.storeId(), expected, events);
            } catch (UpstreamUnavailableException second) {
                second.addSuppressed(first);
                throw new CommitOutcomeUnknownException(store.where() + ": the shared event log's answer to "
                        + "this commit was lost and could not be confirmed; it was not acknowledged and may or "
                        + "may not be in the log: if it is, the store shows it (its events keep their ids); read "
                        + "the store before committing it again", second.retryAfter().orElse(null), second);
            }
        } catch (IllegalStateException noLog) {
            if (expected > 0 && upstream.head(store.storeId()).isEmpty()) {
                throw new LogVanished(); // this copy has events of a log the upstream no longer has
            }
            throw noLog;
        }
        if (result instanceof AppendResult.Conflict conflict) {
            throw new Rebase(conflict);
        }
        ok = result.head();
        // this write's own events only: a retry's Ok may report a head beyond them, others' events
        commits.appendedUpTo(expected + events.size());
        if (!ok.backendId().equals(store.backendId())) {
            try {
                StoreMeta.put(store.statements(), StoreMeta.BACKEND_ID, ok.backendId()); // in this transaction
            } catch (SQLException e) {
                throw new IllegalStateException(store.where() + ": recording the log's backendId failed", e);
            }
        }
    }

    /** The upstream has no log for a store this copy has events of. */
    static final class LogVanished extends RuntimeException {
        LogVanished() {
            super(null, null, false, false);
        }
    }

    /** The append met a conflict: roll back, apply the missing events, try again. */
    static final class Rebase extends RuntimeException {
        final AppendResult.Conflict conflict;

        Rebase(AppendResult.Conflict conflict) {
            super(null, null, false, false);
            this.conflict = conflict;
        }
    }
}
