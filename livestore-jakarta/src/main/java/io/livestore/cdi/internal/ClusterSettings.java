package io.livestore.cdi.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster keys of the configuration (README, "Cluster mode on a server"), read and checked without
 * touching PostgreSQL, JNDI or the optional drivers: where the shared log is, which node this is, and
 * the cluster's tuning. {@link #problems} lists everything wrong at once for the deployment report;
 * {@link #read} gives the settings or throws the first problem.
 *
 * <p>Message ids: 0330 a value that cannot be read, 0331 both a DataSource and a JDBC URL, 0332 a key
 * that needs another one that is missing, 0333 the PostgreSQL driver (or HikariCP for a JDBC URL) not
 * visible to the application, 0334 a JNDI name that is not a DataSource.
 */
public record ClusterSettings(Optional<Source> source, Optional<String> nodeId, Optional<Duration> checkInterval,
                              Optional<Integer> maxCommitAttempts) {

    public static final String DATASOURCE = "livestore.cluster.datasource";
    public static final String LISTEN_DATASOURCE = "livestore.cluster.listen-datasource";
    public static final String JDBC_URL = "livestore.cluster.jdbc-url";
    public static final String USER = "livestore.cluster.user";
    public static final String PASSWORD = "livestore.cluster.password";
    public static final String NODE_ID = "livestore.node-id";
    public static final String CHECK_INTERVAL = "livestore.cluster.check-interval";
    public static final String MAX_COMMIT_ATTEMPTS = "livestore.cluster.max-commit-attempts";

    /** Where the shared log is. */
    public sealed interface Source permits JndiSource, JdbcSource { }

    /** A server's DataSource by JNDI name, and optionally a second, non-pooled one for LISTEN. */
    public record JndiSource(String dataSource, Optional<String> listenDataSource) implements Source { }

    /** Java SE / embedded: a JDBC URL, pooled by HikariCP. The password is never shown. */
    public record JdbcSource(String jdbcUrl, String user, String password) implements Source {
        @Override
        public String toString() {
            return "JdbcSource[" + jdbcUrl + ", user " + user + "]";
        }
    }

    /** Whether the deployment runs in cluster mode. */
    public boolean clustered() {
        return source.isPresent();
    }

    /** The settings from the configuration; the first problem as an IllegalArgumentException. */
    public static ClusterSettings read() {
        return read(ConfigValues::get);
    }

    /** Every problem of the cluster keys, each with its id (empty when there is none). */
    public static List<String> problems() {
        return problems(ConfigValues::get);
    }

    static ClusterSettings read(Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        ClusterSettings settings = parse(config, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return settings;
    }

    static List<String> problems(Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        ClusterSettings settings = parse(config, problems);
        settings.source().ifPresent(s -> problems.addAll(OptionalDrivers.missingFor(s)));
        return problems;
    }

    private static ClusterSettings parse(Function<String, Optional<String>> config, List<String> problems) {
        Optional<String> dataSource = config.apply(DATASOURCE);
        Optional<String> listen = config.apply(LISTEN_DATASOURCE);
        Optional<String> url = config.apply(JDBC_URL);
        Optional<String> user = config.apply(USER);
        Optional<String> password = config.apply(PASSWORD);
        Optional<Source> source = Optional.empty();
        if (dataSource.isPresent() && url.isPresent()) {
            problems.add("LIVESTORE-0331: both " + DATASOURCE + " and " + JDBC_URL + " are set; the cluster's log is in one "
                    + "database: set " + DATASOURCE + " on a server, " + JDBC_URL + " (with " + USER + " and " + PASSWORD
                    + ") elsewhere");
        } else if (dataSource.isPresent()) {
            source = Optional.of(new JndiSource(dataSource.get(), listen));
            user.or(() -> password).ifPresent(v -> problems.add("LIVESTORE-0332: " + USER + " and " + PASSWORD
                    + " belong to " + JDBC_URL + "; with " + DATASOURCE + " the DataSource has the credentials"));
        } else if (url.isPresent()) {
            if (!url.get().startsWith("jdbc:postgresql:")) {
                problems.add(invalid(JDBC_URL, url.get(), "a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)"));
            } else if (user.isEmpty()) {
                problems.add("LIVESTORE-0332: " + JDBC_URL + " is set but " + USER + " is not; set the database user (and "
                        + PASSWORD + ")");
            } else {
                source = Optional.of(new JdbcSource(url.get(), user.get(), password.orElse("")));
            }
            listen.ifPresent(v -> problems.add("LIVESTORE-0332: " + LISTEN_DATASOURCE + " is set without " + DATASOURCE
                    + "; with " + JDBC_URL + " the driver opens the LISTEN connection itself"));
        } else {
            if (listen.isPresent()) {
                problems.add("LIVESTORE-0332: " + LISTEN_DATASOURCE + " is set without " + DATASOURCE);
            }
            if (user.isPresent() || password.isPresent()) {
                problems.add("LIVESTORE-0332: " + (user.isPresent() ? USER : PASSWORD) + " is set without " + JDBC_URL);
            }
        }
        Optional<String> nodeId = config.apply(NODE_ID);
        nodeId.ifPresent(v -> {
            if (!io.livestore.store.StoreIds.isValidName(v)) {
                problems.add(invalid(NODE_ID, v, "1-128 characters of [A-Za-z0-9._:-]"));
            }
        });
        Optional<Duration> interval = config.apply(CHECK_INTERVAL).flatMap(v -> {
            Optional<Duration> d = DurationText.parse(v).filter(x -> !x.isNegative() && !x.isZero());
            if (d.isEmpty()) {
                problems.add(invalid(CHECK_INTERVAL, v, "a positive duration, " + DurationText.EXPECTED));
            }
            return d;
        });
        Optional<Integer> attempts = config.apply(MAX_COMMIT_ATTEMPTS).flatMap(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= 1) {
                    return Optional.of(n);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(invalid(MAX_COMMIT_ATTEMPTS, v, "a whole number of at least 1"));
            return Optional.empty();
        });
        return new ClusterSettings(source, nodeId, interval, attempts);
    }

    private static String invalid(String key, String value, String expected) {
        return "LIVESTORE-0330: configuration " + key + "='" + value + "' is invalid; expected " + expected;
    }
}
