package io.livestore.store.internal;

import io.livestore.store.Query;
import io.livestore.store.QueryException;
import io.livestore.store.Transaction;
import java.sql.SQLException;

/**
 * The write handle given to materializers, during a commit or a rebuild; collects the tables it
 * writes so that only subscriptions reading them are re-run. Used under the store's lock only.
 */
final class MaterializingTransaction implements Transaction {

    private final SqliteStore<?> store;
    final Tables.Accumulator written = new Tables.Accumulator();
    /** False during a rebuild: nobody subscribes before boot ends, so writes need not be tracked. */
    private final boolean trackWrites;
    long seq;
    boolean active = true;

    MaterializingTransaction(SqliteStore<?> store, boolean trackWrites) {
        this.store = store;
        this.trackWrites = trackWrites;
    }

    @Override
    public int execute(String sql, Object... args) {
        requireActive();
        try {
            StatementCache.Prepared p = store.queries().prepare(sql, args);
            if (trackWrites) {
                if (p.writes == null) {
                    p.writes = store.dependencies().of(store.connection(), sql, true);
                }
                written.add(p.writes);
            }
            return p.statement.executeUpdate();
        } catch (SQLException e) {
            throw new QueryException(store.where() + ": statement '" + sql + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T query(Query<T> query) {
        requireActive();
        return store.queries().run(query, false);
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public String storeId() {
        return store.storeId();
    }

    private void requireActive() {
        if (!active) {
            throw new IllegalStateException(store.where() + ": a Transaction is valid only during its materializer call");
        }
    }
}
