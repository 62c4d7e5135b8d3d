package io.livestore.bench;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.NodeIdentity;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.EventIds;
import io.livestore.sync.PostgresTables;
import io.livestore.sync.PostgresUpstream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cluster mode (DESIGN.md §8, §7): one event per commit through a registry on a {@link PostgresUpstream}
 * (embedded PostgreSQL on loopback, started by the benchmark) next to the same registry in single-node
 * mode and next to raw pgjdbc doing the upstream's rows of the same commit — the limit: lock the store's
 * row ({@code SELECT ... FOR UPDATE}), insert the event row (same columns, same JSON args), move the head,
 * commit — on one direct connection per thread, at the same {@code synchronous_commit}
 * ({@link BenchPostgres#SYNCHRONOUS_COMMIT}). The baseline sends no NOTIFY: that is part of what cluster
 * mode costs; {@code pgjdbcNotify*}, a control, adds the upstream's {@code pg_notify} statement. The
 * {@code cluster*} commits go to stores no other node follows (no NOTIFY is sent for them); the
 * {@code followed*} commits, through the same registry, to stores that node B — a second upstream on the
 * same PostgreSQL, listening — follows too, so each sends a NOTIFY that B's LISTEN connection receives. Each
 * commit goes to one of {@code stores} stores, picked at random; 1, 4 and 16 threads.
 *
 * <p>{@code aToB}: a commit on node A until node B's subscription (its own registry and upstream on the
 * same PostgreSQL) has seen it — LISTEN/NOTIFY, B's catch-up pull, B's query.
 *
 * <p>Sample time: JMH reports p50/p99; {@link BenchmarkMain} derives throughput as threads / mean time.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ClusterCommitBench {

    static final StoreDefinition<BenchSchema> ITEM = StoreDefinition.builder(BenchSupport.DEFINITION, BenchSupport.SCHEMA)
            .unusedCacheTime(StoreDefinition.FOREVER).build();
    private static final String RAW_SCHEMA = "raw";

    /** One PostgreSQL per benchmark run (trial). */
    @State(Scope.Benchmark)
    public static class Server {
        BenchPostgres postgres;

        @Setup(Level.Trial)
        public void start() {
            postgres = BenchPostgres.start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            postgres.close();
        }
    }

    /** The stores of one node in cluster mode and of one in single-node mode; ids unique across threads. */
    @State(Scope.Benchmark)
    public static class Nodes {
        @Param({"1", "100"})
        public int stores;

        Path clusterDir;
        Path singleDir;
        PostgresUpstream upstream;
        /** Node B: follows the {@code followedStores} and listens (as a node holding copies of them does). */
        PostgresUpstream follower;
        StoreRegistry cluster;
        StoreRegistry single;
        List<Store<BenchSchema>> clusterStores = new ArrayList<>();
        /** Stores of the same cluster registry that node B follows too: every commit to them sends a NOTIFY. */
        List<Store<BenchSchema>> followedStores = new ArrayList<>();
        List<Store<BenchSchema>> singleStores = new ArrayList<>();
        final AtomicLong next = new AtomicLong();

        @Setup(Level.Trial)
        public void open(Server server) throws SQLException {
            clusterDir = BenchSupport.newDir("cluster");
            singleDir = BenchSupport.newDir("single");
            upstream = server.postgres.upstream("livestore", "node-a");
            cluster = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.directory(clusterDir))
                    .upstream(upstream).nodeId("node-a").build());
            single = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.directory(singleDir)).build());
            follower = server.postgres.upstream("livestore", "node-b");
            follower.listen(new io.livestore.store.spi.ChangeListener() {
                @Override
                public void changed(String storeId, long head) {
                }

                @Override
                public void resync() {
                }
            });
            for (int i = 0; i < stores; i++) {
                clusterStores.add(cluster.getOrLoad(ITEM, storeId(i)).toCompletableFuture().join());
                singleStores.add(single.getOrLoad(ITEM, storeId(i)).toCompletableFuture().join());
                follower.follow(followedStoreId(i));
                followedStores.add(cluster.getOrLoad(ITEM, followedStoreId(i)).toCompletableFuture().join());
            }
            createRawTables(server.postgres.jdbcUrl(), stores);
        }

        @TearDown(Level.Trial)
        public void close() {
            cluster.close();
            single.close();
            follower.close();
            upstream.close();
            BenchSupport.delete(clusterDir);
            BenchSupport.delete(singleDir);
        }

        int pick() {
            return stores == 1 ? 0 : ThreadLocalRandom.current().nextInt(stores);
        }
    }

    /** The raw pgjdbc baseline: one direct connection per thread, autocommit off. */
    @State(Scope.Thread)
    public static class Raw {
        Connection connection;
        PreparedStatement lock;
        PreparedStatement insert;
        PreparedStatement move;
        PreparedStatement moveAndNotify;
        final String clientId = NodeIdentity.ofThisProcess().nodeId();
        final String sessionId = NodeIdentity.processSessionId();

        @Setup(Level.Trial)
        public void open(Server server) throws SQLException {
            connection = DriverManager.getConnection(server.postgres.jdbcUrl(), "postgres", "");
            connection.setAutoCommit(false);
            lock = connection.prepareStatement("SELECT head FROM " + RAW_SCHEMA + ".livestore_store WHERE store_id = ? FOR UPDATE");
            insert = connection.prepareStatement("INSERT INTO " + RAW_SCHEMA + ".livestore_event (store_id, seq_num, "
                    + "parent_seq_num, name, args, client_id, session_id, created_at, event_id) VALUES (?, ?, ?, ?, ?::json, ?, ?, ?, ?)");
            move = connection.prepareStatement("UPDATE " + RAW_SCHEMA + ".livestore_store SET head = ? WHERE store_id = ?");
            // the upstream's statement: the head moved and announced in one statement (NOTIFY at commit)
            moveAndNotify = connection.prepareStatement("WITH moved AS (UPDATE " + RAW_SCHEMA + ".livestore_store "
                    + "SET head = ? WHERE store_id = ? RETURNING head) SELECT pg_notify('raw_bench', ?) FROM moved");
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** Node A and node B on one store; B's subscription publishes the count of items it has seen. */
    @State(Scope.Benchmark)
    public static class TwoNodes {
        Path dirA;
        Path dirB;
        PostgresUpstream upstreamA;
        PostgresUpstream upstreamB;
        StoreRegistry a;
        StoreRegistry b;
        Store<BenchSchema> onA;
        volatile long seenOnB;
        long next;

        @Setup(Level.Trial)
        public void open(Server server) {
            dirA = BenchSupport.newDir("node-a");
            dirB = BenchSupport.newDir("node-b");
            upstreamA = server.postgres.upstream("livestore", "node-a");
            upstreamB = server.postgres.upstream("livestore", "node-b");
            a = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.directory(dirA)).upstream(upstreamA)
                    .nodeId("node-a").build());
            b = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.directory(dirB)).upstream(upstreamB)
                    .nodeId("node-b").build());
            onA = a.getOrLoad(ITEM, "latency").toCompletableFuture().join();
            Store<BenchSchema> onB = b.getOrLoad(ITEM, "latency").toCompletableFuture().join();
            onB.subscribe(Query.first(Long.class, "SELECT count(*) FROM item"), c -> seenOnB = c.orElse(0L));
        }

        @TearDown(Level.Trial)
        public void close() {
            a.close();
            b.close();
            upstreamA.close();
            upstreamB.close();
            BenchSupport.delete(dirA);
            BenchSupport.delete(dirB);
        }
    }

    // ------------------------------------------------------------------ cluster mode

    @Benchmark
    @Threads(1)
    public long cluster1(Nodes n) {
        return commit(n.clusterStores.get(n.pick()), n.next.incrementAndGet());
    }

    @Benchmark
    @Threads(4)
    public long cluster4(Nodes n) {
        return commit(n.clusterStores.get(n.pick()), n.next.incrementAndGet());
    }

    @Benchmark
    @Threads(16)
    public long cluster16(Nodes n) {
        return commit(n.clusterStores.get(n.pick()), n.next.incrementAndGet());
    }

    // ------------------------------------------------------------------ cluster mode, stores node B follows too

    @Benchmark
    @Threads(1)
    public long followed1(Nodes n) {
        return commit(n.followedStores.get(n.pick()), n.next.incrementAndGet());
    }

    @Benchmark
    @Threads(4)
    public long followed4(Nodes n) {
        return commit(n.followedStores.get(n.pick()), n.next.incrementAndGet());
    }

    @Benchmark
    @Threads(16)
    public long followed16(Nodes n) {
        return commit(n.followedStores.get(n.pick()), n.next.incrementAndGet());
    }

    // ------------------------------------------------------------------ single-node mode

    @Benchmark
    @Threads(1)
    public long single1(Nodes n) {
        return commit(n.singleStores.get(n.pick()), n.next.incrementAndGet());
    }

    @Benchmark
    @Threads(4)
    public long single4(Nodes n) {
        return commit(n.singleStores.get(n.pick()), n.next.incrementAndGet());
    }

    @Benchmark
    @Threads(16)
    public long single16(Nodes n) {
        return commit(n.singleStores.get(n.pick()), n.next.incrementAndGet());
    }

    // ------------------------------------------------------------------ raw pgjdbc, the same rows

    @Benchmark
    @Threads(1)
    public long pgjdbc1(Nodes n, Raw r) throws SQLException {
        return raw(n, r);
    }

    @Benchmark
    @Threads(4)
    public long pgjdbc4(Nodes n, Raw r) throws SQLException {
        return raw(n, r);
    }

    @Benchmark
    @Threads(16)
    public long pgjdbc16(Nodes n, Raw r) throws SQLException {
        return raw(n, r);
    }

    // ------------------------------------------------------------------ control: raw pgjdbc + NOTIFY

    @Benchmark
    @Threads(1)
    public long pgjdbcNotify1(Nodes n, Raw r) throws SQLException {
        return rawNotify(n, r);
    }

    @Benchmark
    @Threads(4)
    public long pgjdbcNotify4(Nodes n, Raw r) throws SQLException {
        return rawNotify(n, r);
    }

    @Benchmark
    @Threads(16)
    public long pgjdbcNotify16(Nodes n, Raw r) throws SQLException {
        return rawNotify(n, r);
    }

    // ------------------------------------------------------------------ node A -> node B

    @Benchmark
    @Threads(1)
    public long aToB(TwoNodes t) {
        long i = ++t.next;
        long head = commit(t.onA, i);
        while (t.seenOnB < head) {
            LockSupport.parkNanos(20_000);
        }
        return head;
    }

    private static long commit(Store<BenchSchema> store, long i) {
        return store.commit(new BenchSchema.ItemAdded(BenchSchema.itemId(i), BenchSchema.title(i), i));
    }

    private static long raw(Nodes n, Raw r) throws SQLException {
        return raw(n, r, false);
    }

    /** {@link #raw} with the head moved and announced by the upstream's own statement ({@code pg_notify}). */
    private static long rawNotify(Nodes n, Raw r) throws SQLException {
        return raw(n, r, true);
    }

    private static long raw(Nodes n, Raw r, boolean notify) throws SQLException {
        long i = n.next.incrementAndGet();
        String storeId = storeId(n.pick());
        String id = BenchSchema.itemId(i);
        r.lock.setString(1, storeId);
        long head;
        try (ResultSet rs = r.lock.executeQuery()) {
            rs.next();
            head = rs.getLong(1);
        }
        long seq = head + 1;
        PreparedStatement ins = r.insert;
        ins.setString(1, storeId);
        ins.setLong(2, seq);
        ins.setLong(3, head);
        ins.setString(4, BenchSupport.ITEM_ADDED);
        ins.setString(5, BenchSchema.itemAddedJson(id, BenchSchema.title(i), i));
        ins.setString(6, r.clientId);
        ins.setString(7, r.sessionId);
        ins.setTimestamp(8, new Timestamp(System.currentTimeMillis()));
        ins.setString(9, EventIds.next());
        ins.executeUpdate();
        if (notify) {
            r.moveAndNotify.setLong(1, seq);
            r.moveAndNotify.setString(2, storeId);
            r.moveAndNotify.setString(3, storeId + ":" + seq);
            r.moveAndNotify.execute();
        } else {
            r.move.setLong(1, seq);
            r.move.setString(2, storeId);
            r.move.executeUpdate();
        }
        r.connection.commit();
        return seq;
    }

    static String storeId(int i) {
        return "bench-" + i;
    }

    static String followedStoreId(int i) {
        return "followed-" + i;
    }

    /** The upstream's tables in their own schema, one row per store. */
    private static void createRawTables(String jdbcUrl, int stores) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + RAW_SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + RAW_SCHEMA);
            s.execute(String.format(PostgresTables.DDL, RAW_SCHEMA));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RAW_SCHEMA
                    + ".livestore_store (store_id, backend_id, head) VALUES (?, gen_random_uuid(), 0)")) {
                for (int i = 0; i < stores; i++) {
                    ps.setString(1, storeId(i));
                    ps.executeUpdate();
                }
            }
        }
    }
}
