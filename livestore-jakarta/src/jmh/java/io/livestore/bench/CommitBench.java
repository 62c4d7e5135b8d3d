package io.livestore.bench;

import io.livestore.store.Store;
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
 * One event per commit on a file store (WAL, {@code synchronous=NORMAL}, exclusive locking: the default
 * {@code Durability.PROCESS_CRASH}) against raw sqlite-jdbc writing the same two rows (log row with the
 * same JSON payload, item row) in one transaction per commit, with the same pragmas. Each iteration
 * starts from an empty database so both sides write into tables of the same size.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CommitBench {

    @State(Scope.Thread)
    public static class StoreState {
        Path dir;
        Store<BenchSchema> store;
        long next;

        @Setup(Level.Iteration)
        public void open() {
            dir = BenchSupport.newDir("commit");
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
            dir = BenchSupport.newDir("commit-jdbc");
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

    @Benchmark
    public long livestore(StoreState s) {
        long i = ++s.next;
        return s.store.commit(new BenchSchema.ItemAdded(BenchSchema.itemId(i), BenchSchema.title(i), i));
    }

    @Benchmark
    public long sqliteJdbc(JdbcState s) throws SQLException {
        long i = ++s.seq;
        String id = BenchSchema.itemId(i);
        String title = BenchSchema.title(i);
        PreparedStatement ev = s.insertEvent;
        BenchSupport.insertEvent(ev, i, BenchSupport.ITEM_ADDED, BenchSchema.itemAddedJson(id, title, i), System.currentTimeMillis());
        PreparedStatement it = s.insertItem;
        it.setString(1, id);
        it.setString(2, title);
        it.setLong(3, i);
        it.executeUpdate();
        s.connection.commit();
        return i;
    }
}
