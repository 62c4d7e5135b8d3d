package io.livestore.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The cluster keys: what they mean, and every bad combination or value named with its id and key. */
class ClusterSettingsTest {

    private static Function<String, Optional<String>> config(Map<String, String> values) {
        return k -> Optional.ofNullable(values.get(k));
    }

    @Test
    void noClusterKeyIsSingleNode() {
        ClusterSettings s = ClusterSettings.read(config(Map.of()));
        assertFalse(s.clustered());
        assertEquals(Optional.empty(), s.nodeId());
        assertEquals(List.of(), ClusterSettings.problems(config(Map.of())));
    }

    @Test
    void aDataSourceWithItsListenDataSourceAndTheTuningKeys() {
        ClusterSettings s = ClusterSettings.read(config(Map.of(ClusterSettings.DATASOURCE, "java:jboss/datasources/Log",
                ClusterSettings.LISTEN_DATASOURCE, "java:jboss/datasources/LogListen", ClusterSettings.NODE_ID, "web-1",
                ClusterSettings.CHECK_INTERVAL, "10s", ClusterSettings.MAX_COMMIT_ATTEMPTS, "3")));
        assertEquals(Optional.of(new ClusterSettings.JndiSource("java:jboss/datasources/Log",
                Optional.of("java:jboss/datasources/LogListen"))), s.source());
        assertEquals(Optional.of("web-1"), s.nodeId());
        assertEquals(Optional.of(Duration.ofSeconds(10)), s.checkInterval());
        assertEquals(Optional.of(3), s.maxCommitAttempts());
    }

    @Test
    void aJdbcUrlWithItsCredentialsWhosePasswordIsNeverShown() {
        ClusterSettings s = ClusterSettings.read(config(Map.of(ClusterSettings.JDBC_URL, "jdbc:postgresql://127.0.0.1:5432/app",
                ClusterSettings.USER, "app", ClusterSettings.PASSWORD, "s3cret")));
        ClusterSettings.JdbcSource j = (ClusterSettings.JdbcSource) s.source().orElseThrow();
        assertEquals("s3cret", j.password());
        assertFalse(j.toString().contains("s3cret"), j.toString());
        assertFalse(s.toString().contains("s3cret"), s.toString());
    }

    @Test
    void bothADataSourceAndAJdbcUrlIs0331() {
        List<String> p = ClusterSettings.problems(config(Map.of(ClusterSettings.DATASOURCE, "java:/Log",
                ClusterSettings.JDBC_URL, "jdbc:postgresql://127.0.0.1/app", ClusterSettings.USER, "app")));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("LIVESTORE-0331: both livestore.cluster.datasource and livestore.cluster.jdbc-url are set"),
                p.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSettings.read(
                config(Map.of(ClusterSettings.DATASOURCE, "java:/Log", ClusterSettings.JDBC_URL, "jdbc:postgresql://h/app"))));
        assertTrue(e.getMessage().startsWith("LIVESTORE-0331"), e.getMessage());
    }

    @Test
    void keysThatNeedAnotherAre0332() {
        assertEquals(List.of("LIVESTORE-0332: livestore.cluster.jdbc-url is set but livestore.cluster.user is not; set the "
                        + "database user (and livestore.cluster.password)"),
                ClusterSettings.problems(config(Map.of(ClusterSettings.JDBC_URL, "jdbc:postgresql://127.0.0.1/app"))));
        assertEquals(List.of("LIVESTORE-0332: livestore.cluster.listen-datasource is set without livestore.cluster.datasource"),
                ClusterSettings.problems(config(Map.of(ClusterSettings.LISTEN_DATASOURCE, "java:/L"))));
        assertTrue(ClusterSettings.problems(config(Map.of(ClusterSettings.DATASOURCE, "java:/Log", ClusterSettings.PASSWORD, "x")))
                .get(0).startsWith("LIVESTORE-0332: livestore.cluster.user and livestore.cluster.password belong to "
                        + "livestore.cluster.jdbc-url"));
    }

    @Test
    void badValuesAre0330NamingKeyValueAndWhatWasExpected() {
        List<String> p = ClusterSettings.problems(config(Map.of(ClusterSettings.JDBC_URL, "jdbc:mysql://h/app",
                ClusterSettings.NODE_ID, "web 1", ClusterSettings.CHECK_INTERVAL, "0s",
                ClusterSettings.MAX_COMMIT_ATTEMPTS, "0")));
        assertEquals(List.of(
                "LIVESTORE-0330: configuration livestore.cluster.jdbc-url='jdbc:mysql://h/app' is invalid; expected a "
                        + "PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)",
                "LIVESTORE-0330: configuration livestore.node-id='web 1' is invalid; expected 1-128 characters of [A-Za-z0-9._:-]",
                "LIVESTORE-0330: configuration livestore.cluster.check-interval='0s' is invalid; expected a positive duration, "
                        + DurationText.EXPECTED,
                "LIVESTORE-0330: configuration livestore.cluster.max-commit-attempts='0' is invalid; expected a whole number "
                        + "of at least 1"), p);
        assertEquals(1, ClusterSettings.problems(config(Map.of(ClusterSettings.MAX_COMMIT_ATTEMPTS, "many"))).size());
    }

    @Test
    void theOptionalDriversAreFoundWhenTheyAreThere() {
        // The test class path has pgjdbc and HikariCP; their absence is the same check on other class names.
        assertEquals(List.of(), ClusterSettings.problems(config(Map.of(ClusterSettings.JDBC_URL, "jdbc:postgresql://h/app",
                ClusterSettings.USER, "app"))));
        assertTrue(OptionalDrivers.visible(OptionalDrivers.PGJDBC));
        assertTrue(OptionalDrivers.visible(OptionalDrivers.HIKARI));
        assertFalse(OptionalDrivers.visible("com.zaxxer.hikari.NoSuchPool"));
    }

    @Test
    void missingDriversAre0333SayingWhatToAdd() {
        ClusterSettings.Source jdbc = new ClusterSettings.JdbcSource("jdbc:postgresql://h/app", "app", "");
        ClusterSettings.Source jndi = new ClusterSettings.JndiSource("java:/Log", Optional.empty());
        List<String> none = OptionalDrivers.missingFor(jdbc, c -> false);
        assertEquals(2, none.size(), none.toString());
        assertTrue(none.get(0).startsWith("LIVESTORE-0333: cluster mode needs the PostgreSQL JDBC driver "
                + "(org.postgresql:postgresql) visible to the application"), none.get(0));
        assertTrue(none.get(1).startsWith("LIVESTORE-0333: livestore.cluster.jdbc-url needs HikariCP (com.zaxxer:HikariCP)"),
                none.get(1));
        List<String> onServer = OptionalDrivers.missingFor(jndi, c -> false);
        assertEquals(1, onServer.size(), "a server's DataSource needs no HikariCP");
        assertTrue(onServer.get(0).contains("WEB-INF/lib or give the deployment a dependency on the server's driver module"));
        assertEquals(List.of(), OptionalDrivers.missingFor(jndi, OptionalDrivers.PGJDBC::equals));
    }
}
