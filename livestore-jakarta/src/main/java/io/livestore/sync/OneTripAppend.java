package io.livestore.sync;

import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The usual append — the head is where the caller expects it — in one round trip to PostgreSQL:
 * {@code BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL statement_timeout = …; WITH …; SELECT pg_notify …; COMMIT}, sent
 * as one multi-statement on an autocommit connection. A cluster commit pays PostgreSQL's latency once
 * instead of once per statement (the full transaction of {@link PostgresUpstream} takes four trips), which
 * is most of what a commit waits for.
 *
 * <p>The {@code WITH} statement moves the head by compare-and-set — under READ COMMITTED an
 * {@code UPDATE} that waited for the store's row lock re-checks {@code head = expected} on the row its
 * last writer committed — and only if it moved are the events inserted and a transaction-local setting
 * marks the move. The next statement, if it was marked, queues a NOTIFY on the channel of each other
 * node that follows the store ({@link PostgresInterest}): a statement of its own, because its snapshot
 * must be taken after the row lock was granted, and a NOTIFY only to nodes that hold the store, because
 * each one wakes its receiver (PostgreSQL delivers it at the commit, so no node hears of a head that was
 * not committed). The explicit
 * {@code BEGIN}/{@code COMMIT} keep the five statements one transaction whatever pgjdbc does with them:
 * with {@code stringtype=unspecified} it may put a Sync between them, and with
 * {@code preferQueryMode=simple} it sends each on its own (then it is five trips, still correct). A
 * {@code SET TRANSACTION} instead of the {@code BEGIN} would be dropped in those cases and logs a warning
 * on the server for every append.
 *
 * <p>Answers: the new head (committed); null when nothing was written (the head elsewhere, no row for
 * the store yet), and the caller runs the full transaction; PostgreSQL's own error (rolled back) as an
 * {@link SQLException} or, for the events' fault, the caller's {@link IllegalArgumentException}; and an
 * outcome-unknown {@link io.livestore.store.UpstreamUnavailableException} when the answer was lost —
 * because the one trip also commits, that includes a pooled connection found dead by this very call.
 */
final class OneTripAppend {

    /**
     * A setting local to the append's transaction that says its head moved, for the NOTIFY's statement
     * (a statement of its own, see the class comment); gone at the commit.
     */
    private static final String MOVED_SETTING = "livestore.append_moved";

    /** Batches above this take the full transaction: one trip binds 9 parameters per event (pgjdbc allows 65,535). */
    static final int MAX_EVENTS = 100;

    private final String storeTable;
    private final String eventTable;
    private final PostgresInterest interest;
    private final long statementTimeoutMillis;
    private final UpstreamFailures failures;
    /** The statement per batch size; built on first use (a race builds one twice, harmlessly). */
    private final AtomicReferenceArray<String> sqlBySize = new AtomicReferenceArray<>(MAX_EVENTS + 1);

    OneTripAppend(String storeTable, String eventTable, PostgresInterest interest, Duration statementTimeout,
                  UpstreamFailures failures) {
        this.storeTable = storeTable;
        this.eventTable = eventTable;
        this.interest = interest;
        this.statementTimeoutMillis = statementTimeout.toMillis();
        this.failures = failures;
    }

    /** See the class comment; {@code events} at most {@link #MAX_EVENTS}. Leaves {@code c} in autocommit. */
    LogHead tryAppend(Connection c, String storeId, long expectedHead, List<LogEvent> events) throws SQLException {
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true); // a pool that hands out connections with autocommit off
        }
        long newHead = expectedHead + events.size();
        try (PreparedStatement ps = c.prepareStatement(sql(events.size()))) {
            int i = 1;
            ps.setLong(i++, newHead);
            ps.setString(i++, storeId);
            ps.setLong(i++, expectedHead);
            for (LogEvent e : events) {
                ps.setString(i++, storeId);
                LogEvents.bind(ps, i, e);
                i += LogEvents.BOUND_COLUMNS;
            }
            ps.setString(i++, PostgresListener.payload(storeId, newHead));
            ps.setString(i++, storeId);
            ps.setString(i, interest.nodeKey());
            try {
                ps.execute();
            } catch (SQLException e) {
                if (UpstreamFailures.isAnswerLost(e)) {
                    throw failures.outcomeUnknown(storeId, e); // it commits by itself: it may have (Y3)
                }
                rollback(c); // PostgreSQL's own answer: the explicit BEGIN may leave the failed transaction open
                throw LogEvents.refusedOr(c, eventTable, storeId, events, e);
            }
            return movedHead(ps, storeId, events.size());
        }
    }

    /**
     * The {@code WITH} statement's row, in the first result set (all results are in by now, the NOTIFY's
     * and the COMMIT's too): the new head, or null.
     */
    private LogHead movedHead(PreparedStatement ps, String storeId, int events) throws SQLException {
        while (ps.getResultSet() == null) {
            if (!ps.getMoreResults() && ps.getUpdateCount() == -1) {
                // committed, but not as this code expects: say so as an unknown outcome, never as a failure
                throw failures.outcomeUnknown(storeId, new SQLException("the append statement gave no row"));
            }
        }
        try (ResultSet rs = ps.getResultSet()) {
            if (!rs.next()) {
                return null;
            }
            if (rs.getLong(3) != events || rs.getLong(4) != 1) {
                throw failures.outcomeUnknown(storeId, new SQLException("the append statement wrote " + rs.getLong(3)
                        + " of " + events + " events and marked " + rs.getLong(4) + " moves"));
            }
            return new LogHead(rs.getString(1), rs.getLong(2));
        }
    }

    private static void rollback(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK"); // a warning, no error, when PostgreSQL already ended the transaction
        } catch (SQLException ignored) {
            // the connection is gone: PostgreSQL rolls the transaction back itself
        }
    }

    /** The statements for {@code events} events. The timeout is a number of this upstream's options, not input. */
    private String sql(int events) {
        String cached = sqlBySize.get(events);
        if (cached != null) {
            return cached;
        }
        StringBuilder sql = new StringBuilder()
                .append("BEGIN ISOLATION LEVEL READ COMMITTED; ")
                .append("SET LOCAL statement_timeout = ").append(statementTimeoutMillis).append("; ")
                .append("WITH moved AS (UPDATE ").append(storeTable)
                .append(" SET head = ? WHERE store_id = ? AND head = ? RETURNING backend_id::text AS backend_id, head), ")
                .append("inserted AS (INSERT INTO ").append(eventTable).append(" (store_id, ").append(LogEvents.COLUMNS)
                .append(") SELECT v.* FROM moved, (VALUES ");
        for (int k = 0; k < events; k++) {
            sql.append(k == 0 ? "" : ", ")
                    .append("(?::text, ?::bigint, ?::bigint, ?::text, ?::json, ?::text, ?::text, ?::timestamptz, ?::text)");
        }
        sql.append(") AS v (store_id, ").append(LogEvents.COLUMNS).append(") RETURNING 1), ")
                // a mark for the next statement, for this transaction only: the head moved here
                .append("marked AS (SELECT set_config('").append(MOVED_SETTING).append("', '1', true) FROM moved) ")
                .append("SELECT m.backend_id, m.head, (SELECT count(*) FROM inserted), (SELECT count(*) FROM marked) ")
                .append("FROM moved m; ")
                .append(interest.notifyFollowersSql("current_setting('" + MOVED_SETTING + "', true) = '1'")).append("; ")
                .append("COMMIT");
        String built = sql.toString();
        sqlBySize.compareAndSet(events, null, built);
        return built;
    }
}
