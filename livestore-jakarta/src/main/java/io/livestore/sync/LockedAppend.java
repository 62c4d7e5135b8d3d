package io.livestore.sync;

import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * The append as a full transaction, statement by statement, for what {@link OneTripAppend} leaves: the
 * first append of a store (its row is inserted), a head elsewhere (Conflict with the missing events, or
 * Ok for a retry whose events already stand there), and batches too large for one trip. Four or more
 * round trips; taken rarely.
 *
 * <p>{@code READ COMMITTED} is set explicitly: a role's or DataSource's default of {@code REPEATABLE READ}
 * or {@code SERIALIZABLE} would fail a contended {@code FOR UPDATE} and the first append's
 * {@code ON CONFLICT} with 40001. READ COMMITTED is enough: {@code FOR UPDATE} waits for the store's last
 * writer and then reads the head it committed, so the compare-and-set sees every earlier append.
 */
final class LockedAppend {

    /** What {@link #prepare} leaves: a result to commit first ({@code toCommit}), or one already final (rolled back). */
    record Prepared(AppendResult result, boolean toCommit) {
    }

    private final String storeTable;
    private final String eventTable;
    private final PostgresInterest interest;
    private final PostgresUpstreamOptions options;
    private final int queryTimeoutSeconds;

    LockedAppend(String storeTable, String eventTable, PostgresInterest interest, PostgresUpstreamOptions options,
                 int queryTimeoutSeconds) {
        this.storeTable = storeTable;
        this.eventTable = eventTable;
        this.interest = interest;
        this.options = options;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /**
     * Runs the transaction on {@code c} up to its commit, which is the caller's (so that the caller knows
     * when a lost connection leaves the outcome unknown). Switches {@code c} to autocommit off.
     *
     * @throws IllegalStateException the store has no log and {@code expectedHead} is not 0 (rolled back)
     */
    Prepared prepare(Connection c, String storeId, long expectedHead, List<LogEvent> events) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"); // the first statement of the transaction
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
            ps.setString(1, options.statementTimeout().toMillis() + "ms");
            ps.execute();
        }
        LogHead head = lockStore(c, storeId);
        if (head == null && expectedHead == 0) {
            head = createStore(c, storeId);
        }
        if (head == null) {
            c.rollback();
            throw UpstreamArguments.noLog(storeId, expectedHead);
        }
        if (head.head() != expectedHead) {
            AppendResult answer = alreadyThereOrConflict(c, storeId, expectedHead, events, head);
            c.rollback();
            return new Prepared(answer, false);
        }
        insert(c, storeId, events);
        long newHead = expectedHead + events.size();
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + storeTable + " SET head = ? WHERE store_id = ?")) {
            ps.setLong(1, newHead);
            ps.setString(2, storeId);
            ps.executeUpdate();
        }
        // in the same transaction, for other nodes that follow the store: PostgreSQL delivers a NOTIFY
        // only at commit, so no node hears of a head that was not committed
        try (PreparedStatement ps = c.prepareStatement(interest.notifyFollowersSql("TRUE"))) {
            ps.setString(1, PostgresListener.payload(storeId, newHead));
            ps.setString(2, storeId);
            ps.setString(3, interest.nodeKey());
            ps.execute();
        }
        return new Prepared(new AppendResult.Ok(new LogHead(head.backendId(), newHead)), true);
    }

    /** Events of an earlier attempt with the same ids at the same positions: Ok; anything else: Conflict. */
    private AppendResult alreadyThereOrConflict(Connection c, String storeId, long expectedHead, List<LogEvent> events,
                                                LogHead head) throws SQLException {
        if (head.head() < expectedHead) {
            return new AppendResult.Conflict(head, List.of());
        }
        List<LogEvent> after = LogEvents.readAfter(c, eventTable, storeId, expectedHead,
                Math.max(events.size(), options.maxPage()), queryTimeoutSeconds);
        if (UpstreamArguments.isRetry(storeId, events, after.subList(0, Math.min(after.size(), events.size())))) {
            return new AppendResult.Ok(head);
        }
        return new AppendResult.Conflict(head, after.subList(0, Math.min(after.size(), options.maxPage())));
    }

    private LogHead lockStore(Connection c, String storeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT backend_id::text, head FROM " + storeTable + " WHERE store_id = ? FOR UPDATE")) {
            ps.setString(1, storeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new LogHead(rs.getString(1), rs.getLong(2)) : null;
            }
        }
    }

    /** The store's row, inserted now or by a concurrent first append (then it waits for it and locks it). */
    private LogHead createStore(Connection c, String storeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + storeTable
                + " (store_id, backend_id, head) VALUES (?, ?::uuid, 0) ON CONFLICT (store_id) DO NOTHING")) {
            ps.setString(1, storeId);
            ps.setString(2, UUID.randomUUID().toString());
            ps.executeUpdate();
        }
        return lockStore(c, storeId);
    }

    private void insert(Connection c, String storeId, List<LogEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + eventTable + " (store_id, " + LogEvents.COLUMNS
                + ") VALUES (?, ?, ?, ?, ?::json, ?, ?, ?, ?)")) {
            for (LogEvent e : events) {
                ps.setString(1, storeId);
                LogEvents.bind(ps, 2, e);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw LogEvents.refusedOr(c, eventTable, storeId, events, e);
        }
    }
}
