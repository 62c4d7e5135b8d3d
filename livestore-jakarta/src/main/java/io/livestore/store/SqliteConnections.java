package io.livestore.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens SQLite connections through the driver class itself, not {@code DriverManager}: in an application
 * server the driver sits in the application's class loader, and servers unregister drivers such
 * applications registered (Payara does so after its deployment-time class loader is dropped), after
 * which {@code DriverManager} answers "No suitable driver".
 */
final class SqliteConnections {

    private SqliteConnections() {
    }

    static Connection open(String url, Properties properties) throws SQLException {
        Connection connection = org.sqlite.JDBC.createConnection(url, properties);
        if (connection == null) {
            throw new SQLException("not an SQLite JDBC URL: " + url);
        }
        return connection;
    }
}
