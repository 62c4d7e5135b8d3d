package io.livestore.bench;

import io.livestore.store.Event;
import io.livestore.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 1000 events per commit (scores are events/s) on a file store at the default durability against raw
 * sqlite-jdbc inserting the same 1000 log rows and 1000 item rows in one transaction, same pragmas and
 * driver settings. A control shows what the driver's default generated-key retrieval would cost.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BatchCommitBench.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class BatchCommitBench {

    static final int BATCH = 1000;

    @State(Scope.Thread)
    public static class StoreState {
        Path dir;
        Store<BenchSchema> store;
        long next;

        @Setup(Level.Iteration)
        public void open() {
            dir = BenchSupport.newDir("batch");
            store = BenchSupport.opener(dir).open(BenchSupport.STORE_ID);
            next = 0;
        }

        @TearDown(Level.Iteration)
        public void close() {
            BenchSupport.closeQuietly(store);
            BenchSupport.delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class JdbcState {
        Path dir;
        Connection connection;
        PreparedStatement insertEvent;
        PreparedStatement insertItem;
        long seq;

        @Setup(Level.Iteration)
        public void open() throws SQLException {
            dir = BenchSupport.newDir("batch-jdbc");
            connection = BenchSupport.openJdbc(dir.resolve("bench.db"));
            BenchSupport.createJdbcTables(connection);
            connection.setAutoCommit(false);
            insertEvent = connection.prepareStatement(BenchSupport.INSERT_EVENT);
            insertItem = connection.prepareStatement(BenchSchema.INSERT_ITEM);
            seq = 0;
        }

        @TearDown(Level.Iteration)
        public void close() throws SQLException {
            insertEvent.close();
            insertItem.close();
            connection.commit();
            connection.close();
            BenchSupport.delete(dir);
        }
    }


    /**
     * Control: the baseline with the driver's default generated-key retrieval on
     * ({@code jdbc.get_generated_keys=true}). sqlite-jdbc then follows every INSERT with
     * {@code SELECT last_insert_rowid()} on a newly prepared statement; the store turns it off, so the
     * judged baseline does too, and this row shows what that setting is worth.
     */
    @State(Scope.Thread)
    public static class JdbcNoKeysState {
        Path dir;
        Connection connection;
        PreparedStatement insertEvent;
        PreparedStatement insertItem;
        long seq;

        @Setup(Level.Iteration)
        public void open() throws SQLException {
            dir = BenchSupport.newDir("batch-jdbc-nokeys");
            Properties p = new Properties();
            p.setProperty("jdbc.get_generated_keys", "true"); // the driver default
            connection = BenchSupport.openJdbc(dir.resolve("bench.db"), p);
            BenchSupport.createJdbcTables(connection);
            connection.setAutoCommit(false);
            insertEvent = connection.prepareStatement(BenchSupport.INSERT_EVENT);
            insertItem = connection.prepareStatement(BenchSchema.INSERT_ITEM);
            seq = 0;
        }

        @TearDown(Level.Iteration)
        public void close() throws SQLException {
            insertEvent.close();
            insertItem.close();
            connection.commit();
            connection.close();
            BenchSupport.delete(dir);
        }
    }

    @Benchmark
    public long livestore(StoreState s) {
        List<Event> events = new ArrayList<>(BATCH);
        for (int k = 0; k < BATCH; k++) {
            long i = ++s.next;
            events.add(new BenchSchema.ItemAdded(BenchSchema.itemId(i), BenchSchema.title(i), i));
        }
        return s.store.commit(events);
    }

    /** The rows a 1000-event commit writes, as raw JDBC would: event row + item row each. Returns the new seq. */
    private static long insertBatch(PreparedStatement ev, PreparedStatement it, long seq) throws SQLException {
        long now = System.currentTimeMillis();
        for (int k = 0; k < BATCH; k++) {
            long i = ++seq;
            String id = BenchSchema.itemId(i);
            String title = BenchSchema.title(i);
            BenchSupport.insertEvent(ev, i, BenchSupport.ITEM_ADDED, BenchSchema.itemAddedJson(id, title, i), now);
            it.setString(1, id);
            it.setString(2, title);
            it.setLong(3, i);
            it.executeUpdate();
        }
        return seq;
    }

    @Benchmark
    public long sqliteJdbc(JdbcState s) throws SQLException {
        s.seq = insertBatch(s.insertEvent, s.insertItem, s.seq);
        s.connection.commit();
        return s.seq;
    }

    @Benchmark
    public long sqliteJdbcNoGeneratedKeys(JdbcNoKeysState s) throws SQLException {
        s.seq = insertBatch(s.insertEvent, s.insertItem, s.seq);
        s.connection.commit();
        return s.seq;
    }
}
