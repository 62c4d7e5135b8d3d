package io.livestore.store.internal;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.Properties;

/**
 * How the library reaches SQLite: through the driver class itself, not {@code DriverManager}. In an
 * application server the driver sits in the application's class loader, and servers unregister drivers
 * that applications registered (Payara does so while deploying), after which {@code DriverManager}
 * answers "No suitable driver".
 */
public final class SqliteConnections {

    private SqliteConnections() {
    }

    public static Connection open(String url, Properties properties) throws SQLException {
        return org.sqlite.JDBC.createConnection(url, properties);
    }

    /**
     * Takes the SQLite driver that this class loader registered (loading the driver class registers it)
     * out of {@code DriverManager}, which would otherwise keep the application's class loader alive
     * after an undeploy. The CDI integration calls it when the registry closes; the library itself does
     * not need the registration.
     */
    public static void deregisterDriver() {
        for (Enumeration<Driver> drivers = DriverManager.getDrivers(); drivers.hasMoreElements();) {
            Driver driver = drivers.nextElement();
            if (driver instanceof org.sqlite.JDBC) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException e) {
                    System.getLogger(SqliteConnections.class.getName()).log(System.Logger.Level.DEBUG,
                            "could not deregister the SQLite driver", e);
                }
            }
        }
    }
}
