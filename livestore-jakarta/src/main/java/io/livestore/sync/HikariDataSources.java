package io.livestore.sync;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Java SE connections for {@link PostgresUpstream#connect}: a HikariCP pool for ordinary calls, and the
 * driver's own unpooled DataSource for the LISTEN connection, both with the timeouts of the options.
 * Kept apart so that {@link PostgresUpstream} loads without HikariCP on a server.
 */
final class HikariDataSources {

    /** The pool and the listen source; closing it closes the pool. */
    record Pool(HikariDataSource dataSource, ListenConnectionSource listenSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }

    private HikariDataSources() {
    }

    static Pool open(String jdbcUrl, String user, String password, PostgresUpstreamOptions options) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the cluster's JDBC URL must start with jdbc:postgresql:");
        }
        Properties driver = new Properties();
        driver.setProperty("connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
        // loginTimeout: a server that accepts the socket but never answers (frozen, overloaded) is an outage too
        driver.setProperty("loginTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
        driver.setProperty("socketTimeout", Long.toString(Math.max(1, options.socketTimeout().toSeconds())));
        driver.setProperty("ApplicationName", options.applicationName());

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setDataSourceProperties(driver);
        config.setMaximumPoolSize(options.maxPoolSize());
        config.setMinimumIdle(Math.min(2, options.maxPoolSize()));
        config.setConnectionTimeout(Math.max(250, options.connectTimeout().toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(options.connectTimeout().toMillis(), 5_000)));
        // start even when PostgreSQL is down: the first call then fails clearly, and later ones recover
        config.setInitializationFailTimeout(-1);
        config.setPoolName("livestore-" + options.applicationName());
        config.setThreadFactory(options.threadFactory());
        HikariDataSource pool = new HikariDataSource(config);

        PGSimpleDataSource listen = new PGSimpleDataSource();
        listen.setUrl(jdbcUrl);
        listen.setUser(user);
        listen.setPassword(password);
        listen.setConnectTimeout((int) Math.max(1, options.connectTimeout().toSeconds()));
        listen.setLoginTimeout((int) Math.max(1, options.connectTimeout().toSeconds()));
        listen.setApplicationName(options.applicationName() + "-listen");
        // no socketTimeout: getNotifications sets its own wait, and the thread checks a quiet connection
        return new Pool(pool, listen::getConnection);
    }
}
