package io.livestore.store.internal;

import io.livestore.store.CommitFailedException;
import io.livestore.store.MaterializerException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes one batch into a store: its log rows and its materializers' writes, in one SQLite transaction
 * (S1) — for a commit and for events applied from an upstream log alike, so both leave the same rows and
 * tables. Used under the store's lock only.
 */
final class LogWriter {

    private static final System.Logger LOG = System.getLogger(LogWriter.class.getName());

    private final SqliteStore<?> store;

    LogWriter(SqliteStore<?> store) {
        this.store = store;
    }

    /**
     * Writes {@code batch} at positions {@code first, first + 1, ...}; a commit's events get {@code now} as
     * their creation time. Returns the tables written; on failure nothing is written.
     *
     * @throws MaterializerException a materializer threw
     * @throws CommitFailedException SQLite refused the transaction
     */
    Tables write(EventBatch batch, long first, long now) {
        return write(batch, first, now, null);
    }

    /**
     * As {@link #write(EventBatch, long, long)}, running {@code beforeCommit} after the materializers, just
     * before the local COMMIT (the commit path's upstream append, Y3). What it throws rolls the
     * transaction back and reaches the caller unchanged.
     */
    Tables write(EventBatch batch, long first, long now, Runnable beforeCommit) {
        EventType[] types = batch.types;
        Connection connection = store.connection();
        String what = batch.fromUpstream() ? "the " + types.length + " event(s) from the upstream log"
                : "the commit of " + types.length + " event(s)";
        MaterializingTransaction tx = new MaterializingTransaction(store, true);
        store.materializing(true);
        boolean committed = false;
        try {
            SqliteTransactions.begin(connection);
            PreparedStatement insert = store.statements().get(LogTable.INSERT).statement;
            for (int i = 0; i < types.length; i++) {
                long seq = first + i;
                insert.setLong(1, seq);
                insert.setLong(2, seq - 1);
                insert.setString(3, batch.name(i));
                insert.setString(4, batch.args[i]);
                insert.setString(5, batch.clientIds[i]);
                insert.setString(6, batch.sessionIds[i]);
                insert.setLong(7, batch.createdAt == null ? now : batch.createdAt[i]);
                insert.setString(8, batch.eventIds[i]);
                insert.executeUpdate();
                tx.seq = seq;
                if (types[i] == null) {
                    continue; // an event the schema does not declare but keeps: in the log, never materialized
                }
                try {
                    types[i].materializer().materialize(batch.events.get(i), tx);
                } catch (Exception e) {
                    // The message may reach a client (422): user terms only; the cause has the technical text.
                    throw new MaterializerException(store.where() + ": materializer for event #" + i + " "
                            + types[i].name() + " (seq " + seq + ") failed: " + MaterializerFailures.reason(e)
                            + "; " + what + " was rolled back", e);
                }
            }
            if (beforeCommit != null) {
                try {
                    beforeCommit.run();
                } catch (RuntimeException e) {
                    throw new BeforeCommitFailure(e);
                }
            }
            SqliteTransactions.commit(connection);
            committed = true;
        } catch (BeforeCommitFailure e) {
            rollbackAfter(e.getCause());
            throw (RuntimeException) e.getCause();
        } catch (MaterializerException e) {
            rollbackAfter(e);
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollbackAfter(e);
            throw new CommitFailedException(store.where() + ": SQLite refused " + what + ": " + e.getMessage()
                    + "; it was rolled back", e);
        } catch (Error e) {
            rollbackAfter(e);
            throw e;
        } finally {
            tx.active = false;
            store.materializing(false);
            if (!committed && tx.written.includes("sqlite_schema") && !store.isClosed()) {
                // Rolled back after DDL: the schema is the old one again, but statements prepared inside
                // the transaction remember the new columns. Forget them, as after a successful DDL.
                forgetStatements();
            }
        }
        if (tx.written.includes("sqlite_schema")) {
            forgetStatements(); // a materializer ran DDL: statements' columns and root pages may have changed
        }
        return tx.written.result();
    }

    /** Carries what the before-commit step threw past the handler that wraps SQLite's failures. */
    private static final class BeforeCommitFailure extends RuntimeException {
        BeforeCommitFailure(RuntimeException cause) {
            super(cause);
        }
    }

    private void forgetStatements() {
        store.statements().closeAll();
        try {
            store.reloadDependencies();
        } catch (SQLException e) {
            LOG.log(Level.ERROR, store.where() + ": re-reading the tables after DDL failed, closing the store", e);
            store.closeLocked("re-reading the tables after DDL failed: " + e);
        }
    }

    private void rollbackAfter(Throwable failure) {
        try {
            SqliteTransactions.rollback(store.connection());
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
            // The connection's transaction state is unknown: refuse further use rather than risk S1.
            LOG.log(Level.ERROR, store.where() + ": rollback failed, closing the store", rollbackFailure);
            store.closeLocked("rollback failed after: " + failure);
        }
    }
}
