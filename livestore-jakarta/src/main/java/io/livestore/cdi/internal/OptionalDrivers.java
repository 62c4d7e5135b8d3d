package io.livestore.cdi.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The optional libraries cluster mode needs, looked for before any class that links to them is loaded:
 * pgjdbc always (the listener unwraps {@code PGConnection}), HikariCP for a JDBC URL. Neither comes with
 * the library, so their absence is a deployment problem (0333) naming what to add, not a linkage error
 * at the first request.
 */
final class OptionalDrivers {

    static final String PGJDBC = "org.postgresql.PGConnection";
    static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

    private OptionalDrivers() {
    }

    /** What is missing for {@code source}, as problems with id 0333. */
    static List<String> missingFor(ClusterSettings.Source source) {
        return missingFor(source, OptionalDrivers::visible);
    }

    /** {@link #missingFor(ClusterSettings.Source)} with {@code visible} telling which classes are there. */
    static List<String> missingFor(ClusterSettings.Source source, Predicate<String> visible) {
        List<String> problems = new ArrayList<>();
        boolean jdbc = source instanceof ClusterSettings.JdbcSource;
        if (!visible.test(PGJDBC)) {
            problems.add("LIVESTORE-0333: cluster mode needs the PostgreSQL JDBC driver (org.postgresql:postgresql) visible "
                    + "to the application, but it is not; " + (jdbc ? "add it to the application"
                    : "put it in WEB-INF/lib or give the deployment a dependency on the server's driver module"));
        }
        if (jdbc && !visible.test(HIKARI)) {
            problems.add("LIVESTORE-0333: " + ClusterSettings.JDBC_URL + " needs HikariCP (com.zaxxer:HikariCP) on the "
                    + "application's class path, but it is not there; add it, or use " + ClusterSettings.DATASOURCE
                    + " with a server's DataSource");
        }
        return problems;
    }

    static boolean visible(String className) {
        try {
            Class.forName(className, false, OptionalDrivers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
