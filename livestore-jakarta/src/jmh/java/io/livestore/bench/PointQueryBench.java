package io.livestore.bench;

import io.livestore.store.Query;
import io.livestore.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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
 * Point query by primary key on a 10k-item file store through the typed API
 * ({@code store.query(Query.first(ItemRow.class, sql, id))}, a new Query per call as application code
 * writes it) against a cached raw JDBC PreparedStatement mapping the row to the same record.
 * SampleTime: the report uses the median.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PointQueryBench {

    static final int ITEMS = 10_000;

    /** The same pseudo-random order of ids for both sides. */
    static String[] shuffledIds() {
        List<String> ids = new ArrayList<>(ITEMS);
        for (int i = 1; i <= ITEMS; i++) {
            ids.add(BenchSchema.itemId(i));
        }
        Collections.shuffle(ids, new Random(42));
        return ids.toArray(String[]::new);
    }

    @State(Scope.Thread)
    public static class StoreState {
        Path dir;
        Store<BenchSchema> store;
        String[] ids;
        int next;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSupport.newDir("query");
            store = BenchSupport.opener(dir).open(BenchSupport.STORE_ID);
            BenchSupport.fill(store, 1, ITEMS);
            ids = shuffledIds();
        }

        String nextId() {
            int i = next;
            next = i + 1 == ids.length ? 0 : i + 1;
            return ids[i];
        }

        @TearDown(Level.Trial)
        public void close() {
            BenchSupport.closeQuietly(store);
            BenchSupport.delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class JdbcState {
        Path dir;
        Connection connection;
        PreparedStatement select;
        String[] ids;
        int next;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            dir = BenchSupport.newDir("query-jdbc");
            connection = BenchSupport.openJdbc(dir.resolve("bench.db"));
            BenchSupport.createJdbcTables(connection);
            connection.setAutoCommit(false);
            try (PreparedStatement ev = connection.prepareStatement(BenchSupport.INSERT_EVENT);
                 PreparedStatement it = connection.prepareStatement(BenchSchema.INSERT_ITEM)) {
                long now = System.currentTimeMillis();
                for (int i = 1; i <= ITEMS; i++) {
                    String id = BenchSchema.itemId(i);
                    String title = BenchSchema.title(i);
                    BenchSupport.insertEvent(ev, i, BenchSupport.ITEM_ADDED, BenchSchema.itemAddedJson(id, title, i), now);
                    it.setString(1, id);
                    it.setString(2, title);
                    it.setLong(3, i);
                    it.executeUpdate();
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            select = connection.prepareStatement(BenchSchema.SELECT_ITEM);
            ids = shuffledIds();
        }

        String nextId() {
            int i = next;
            next = i + 1 == ids.length ? 0 : i + 1;
            return ids[i];
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            select.close();
            connection.close();
            BenchSupport.delete(dir);
        }
    }

    @Benchmark
    public Optional<BenchSchema.ItemRow> livestore(StoreState s) {
        return s.store.query(Query.first(BenchSchema.ItemRow.class, BenchSchema.SELECT_ITEM, s.nextId()));
    }

    @Benchmark
    public BenchSchema.ItemRow sqliteJdbc(JdbcState s) throws SQLException {
        PreparedStatement ps = s.select;
        ps.setString(1, s.nextId());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new BenchSchema.ItemRow(rs.getString(1), rs.getString(2), rs.getLong(3)) : null;
        }
    }
}
