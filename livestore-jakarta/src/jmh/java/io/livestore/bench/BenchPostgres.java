package io.livestore.bench;

import io.livestore.sync.PostgresUpstream;
import io.livestore.sync.PostgresUpstreamOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded PostgreSQL of the cluster benchmarks (zonky's binaries, 127.0.0.1 only), on a fresh data
 * directory under {@code target/}. {@code fsync} stays on; {@code synchronous_commit} is
 * {@link #SYNCHRONOUS_COMMIT} for every session, so the cluster figures and their pgjdbc baseline run at
 * the same setting.
 */
final class BenchPostgres implements AutoCloseable {

    /**
     * The server's {@code synchronous_commit}: {@code on}, PostgreSQL's default (an acknowledged commit is
     * flushed to disk), the setting a cluster deployment runs with. A constant, so the report (in the
     * launching JVM) states what the forked benchmark JVMs ran with.
     */
    static final String SYNCHRONOUS_COMMIT = "on";

    private final Path dir;
    private final EmbeddedPostgres postgres;

    private BenchPostgres(Path dir, EmbeddedPostgres postgres) {
        this.dir = dir;
        this.postgres = postgres;
    }

    static BenchPostgres start() {
        Path dir = BenchSupport.newDir("pg");
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("synchronous_commit", SYNCHRONOUS_COMMIT)
                    .setServerConfig("max_connections", "100")
                    .setLocaleConfig("encoding", "UTF8")
                    .setLocaleConfig("locale", "C")
                    .start();
            return new BenchPostgres(dir, pg);
        } catch (IOException e) {
            BenchSupport.delete(dir);
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** A cluster upstream on this server, tables in {@code schema}, a pool large enough for 16 threads. */
    PostgresUpstream upstream(String schema, String name) {
        return PostgresUpstream.connect(jdbcUrl(), "postgres", "", PostgresUpstreamOptions.builder()
                .schema(schema).applicationName(name).maxPoolSize(20)
                .connectTimeout(Duration.ofSeconds(5)).statementTimeout(Duration.ofSeconds(30))
                .socketTimeout(Duration.ofSeconds(60)).build());
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            BenchSupport.delete(dir);
        }
    }
}
