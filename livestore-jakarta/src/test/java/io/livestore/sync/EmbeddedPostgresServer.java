package io.livestore.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for the sync tests (zonky's embedded binaries), listening on 127.0.0.1 only, on a
 * data directory and port that survive {@link #stop()} / {@link #start()} — an outage and its end.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final Path dataDirectory;
    private int port;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** A new server on a fresh data directory under the build directory (java.io.tmpdir, see the pom). */
    public static EmbeddedPostgresServer started() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "pg-" + java.util.UUID.randomUUID());
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir);
        server.start();
        return server;
    }

    /** Starts (again) on the same data directory and port. */
    void start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // tests need no crash safety of PostgreSQL itself (a clean stop writes everything): no fsync
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setLocaleConfig("encoding", "UTF8")
                    .setLocaleConfig("locale", "C");
            if (port != 0) {
                builder.setPort(port);
            }
            postgres = builder.start();
            port = postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops PostgreSQL (fast shutdown: every backend is terminated); the data stays. */
    void stop() {
        try {
            postgres.close();
            postgres = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The postmaster and every backend of this server: processes this test started. */
    List<Long> processIds() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** Sends {@code signal} (STOP, CONT) to {@code pids} with kill(1). */
    static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed for " + pids);
        }
    }

    int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** An unpooled DataSource on {@code database} as user postgres, with short timeouts. */
    public DataSource dataSource(String database) {
        return dataSource(database, "postgres");
    }

    /** An unpooled DataSource on {@code database} as {@code user} (the embedded server trusts every local user). */
    DataSource dataSource(String database, String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl(database));
        ds.setUser(user);
        ds.setConnectTimeout(2);
        ds.setSocketTimeout(10);
        return ds;
    }

    /** Runs statements on {@code database} in autocommit. */
    void execute(String database, String... sql) {
        try (Connection c = dataSource(database).getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every TCP socket the machine listens on at {@link #port()}: their local addresses, as /proc/net says. */
    List<String> listeningAddresses() throws IOException {
        List<String> addresses = new ArrayList<>();
        String portHex = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A = LISTEN
                if (f.length > 3 && f[1].endsWith(":" + portHex) && "0A".equals(f[3])) {
                    addresses.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return addresses;
    }

    /** Asserts PostgreSQL listens on 127.0.0.1 and nowhere else. */
    void assertLoopbackOnly() throws IOException {
        List<String> addresses = listeningAddresses();
        assertFalse(addresses.isEmpty(), "PostgreSQL listens on port " + port);
        for (String a : addresses) {
            assertEquals("0100007F", a, "PostgreSQL listens only on 127.0.0.1 (little-endian hex in /proc/net): " + addresses);
        }
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            stop();
        }
        if (Files.exists(dataDirectory)) {
            try (var paths = Files.walk(dataDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
