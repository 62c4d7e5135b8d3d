package io.livestore.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Begins and ends a store's SQLite transactions. They go through the driver's auto-commit switch
 * (the connection is opened with {@code transaction_mode=IMMEDIATE}): issuing BEGIN/COMMIT as
 * statements makes sqlite-jdbc attempt its own "begin" after every statement inside the
 * transaction, which measured ~10% of a batch commit.
 */
final class SqliteTransactions {

    private SqliteTransactions() {
    }

    static void begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    static void commit(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
    }

    /** Rolls back the open transaction, if there is one. */
    static void rollback(Connection connection) throws SQLException {
        if (connection.getAutoCommit()) {
            return; // the transaction never began, or the driver already ended it
        }
        try {
            connection.rollback();
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
