package io.livestore.bench;

import io.livestore.store.BootReport;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rebuild of 100k events: a store written once with {@link BenchSchema} is copied before each
 * measurement and opened with {@link BenchSchema.V2} (another schema hash), so the open drops the
 * tables and replays the whole log. Baseline: raw sqlite-jdbc inserting the same 100k item rows in one
 * transaction into an empty table, same pragmas. Closing (WAL checkpoint) is outside the measurement.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 6)
@Fork(1)
public class RebuildBench {

    static final int EVENTS = 100_000;

    @State(Scope.Thread)
    public static class StoreState {
        Path source;
        Path sourceFile;
        Path dir;
        StoreOpener<BenchSchema.V2> opener;
        Store<BenchSchema.V2> store;

        @Setup(Level.Trial)
        public void create() {
            source = BenchSupport.newDir("rebuild-src");
            StoreOpener<BenchSchema> v1 = BenchSupport.opener(source);
            try (Store<BenchSchema> s = v1.open(BenchSupport.STORE_ID)) {
                BenchSupport.fill(s, 1, EVENTS);
            }
            sourceFile = v1.databaseFile(BenchSupport.STORE_ID).orElseThrow();
        }

        @Setup(Level.Iteration)
        public void copy() {
            dir = BenchSupport.newDir("rebuild");
            opener = BenchSupport.openerV2(dir);
            Path target = opener.databaseFile(BenchSupport.STORE_ID).orElseThrow();
            try {
                Files.createDirectories(target.getParent());
                Files.copy(sourceFile, target);
                Path wal = sourceFile.resolveSibling(sourceFile.getFileName() + "-wal");
                if (Files.exists(wal)) {
                    Files.copy(wal, target.resolveSibling(target.getFileName() + "-wal"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @TearDown(Level.Iteration)
        public void close() {
            BenchSupport.closeQuietly(store);
            store = null;
            BenchSupport.delete(dir);
        }

        @TearDown(Level.Trial)
        public void delete() {
            BenchSupport.delete(source);
        }
    }

    @State(Scope.Thread)
    public static class JdbcState {
        Path dir;
        Connection connection;
        PreparedStatement insertItem;

        @Setup(Level.Iteration)
        public void open() throws SQLException {
            dir = BenchSupport.newDir("rebuild-jdbc");
            connection = BenchSupport.openJdbc(dir.resolve("bench.db"));
            BenchSupport.createJdbcTables(connection);
            connection.setAutoCommit(false);
            insertItem = connection.prepareStatement(BenchSchema.INSERT_ITEM);
        }

        @TearDown(Level.Iteration)
        public void close() throws SQLException {
            insertItem.close();
            connection.close();
            BenchSupport.delete(dir);
        }
    }

    @Benchmark
    public long livestore(StoreState s) {
        s.store = s.opener.open(BenchSupport.STORE_ID);
        BootReport report = s.store.bootReport();
        if (!report.rebuilt() || report.eventsReplayed() != EVENTS) {
            throw new IllegalStateException("expected a rebuild of " + EVENTS + " events: " + report);
        }
        return report.eventsReplayed();
    }

    @Benchmark
    public long sqliteJdbc(JdbcState s) throws SQLException {
        PreparedStatement it = s.insertItem;
        for (int i = 1; i <= EVENTS; i++) {
            it.setString(1, BenchSchema.itemId(i));
            it.setString(2, BenchSchema.title(i));
            it.setLong(3, i);
            it.executeUpdate();
        }
        s.connection.commit();
        return EVENTS;
    }
}
