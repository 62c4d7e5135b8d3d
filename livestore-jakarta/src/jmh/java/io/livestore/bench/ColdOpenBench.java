package io.livestore.bench;

import io.livestore.store.BootReport;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
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
 * Opening an existing store with 10k events whose tables match the schema, plus its first use (a point
 * query), against raw sqlite-jdbc opening the same kind of file with the same pragmas and running one
 * query. Closing is outside the measurement (per-invocation teardown). The file stays in the OS page
 * cache: "cold" means a store not loaded in this JVM, as when a registry loads it on first use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ColdOpenBench {

    static final int EVENTS = 10_000;
    static final String PROBE = BenchSchema.itemId(EVENTS / 2);

    @State(Scope.Thread)
    public static class StoreState {
        Path dir;
        StoreOpener<BenchSchema> opener;
        Store<BenchSchema> store;

        @Setup(Level.Trial)
        public void create() {
            dir = BenchSupport.newDir("open");
            opener = BenchSupport.opener(dir);
            try (Store<BenchSchema> s = opener.open(BenchSupport.STORE_ID)) {
                BenchSupport.fill(s, 1, EVENTS);
            }
            try (Store<BenchSchema> s = opener.open(BenchSupport.STORE_ID)) {
                if (s.bootReport().outcome() != BootReport.Outcome.OPENED || s.head() != EVENTS) {
                    throw new IllegalStateException("unexpected boot: " + s.bootReport());
                }
            }
        }

        @TearDown(Level.Invocation)
        public void closeStore() {
            BenchSupport.closeQuietly(store);
            store = null;
        }

        @TearDown(Level.Trial)
        public void delete() {
            BenchSupport.delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class JdbcState {
        Path dir;
        Path file;
        Connection connection;

        @Setup(Level.Trial)
        public void create() throws SQLException {
            dir = BenchSupport.newDir("open-jdbc");
            file = dir.resolve("bench.db");
            try (Connection c = BenchSupport.openJdbc(file)) {
                BenchSupport.createJdbcTables(c);
                c.setAutoCommit(false);
                try (PreparedStatement ev = c.prepareStatement(BenchSupport.INSERT_EVENT);
                     PreparedStatement it = c.prepareStatement(BenchSchema.INSERT_ITEM)) {
                    long now = System.currentTimeMillis();
                    for (int i = 1; i <= EVENTS; i++) {
                        String id = BenchSchema.itemId(i);
                        String title = BenchSchema.title(i);
                        BenchSupport.insertEvent(ev, i, BenchSupport.ITEM_ADDED, BenchSchema.itemAddedJson(id, title, i), now);
                        it.setString(1, id);
                        it.setString(2, title);
                        it.setLong(3, i);
                        it.executeUpdate();
                    }
                }
                c.commit();
            }
        }

        @TearDown(Level.Invocation)
        public void closeConnection() throws SQLException {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }

        @TearDown(Level.Trial)
        public void delete() {
            BenchSupport.delete(dir);
        }
    }

    @Benchmark
    public Optional<BenchSchema.ItemRow> livestore(StoreState s) {
        s.store = s.opener.open(BenchSupport.STORE_ID);
        return s.store.query(Query.first(BenchSchema.ItemRow.class, BenchSchema.SELECT_ITEM, PROBE));
    }

    @Benchmark
    public BenchSchema.ItemRow sqliteJdbc(JdbcState s) throws SQLException {
        s.connection = BenchSupport.openJdbc(s.file);
        try (PreparedStatement ps = s.connection.prepareStatement(BenchSchema.SELECT_ITEM)) {
            ps.setString(1, PROBE);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BenchSchema.ItemRow(rs.getString(1), rs.getString(2), rs.getLong(3)) : null;
            }
        }
    }
}
