package io.livestore.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * {@link ClusterCommitBench}'s figures measured in interleaved pairs: the cluster commit and its raw pgjdbc
 * baseline take turns in one JVM on one PostgreSQL, one short slice each per round, and each round's
 * ratio is taken from its own two slices. On a shared 2-vCPU machine the baselines of separate JMH runs
 * moved by 2× within minutes (checkpoints, other processes, the VM's neighbours), which no ratio of two
 * separate runs survives; a drift slower than a round (a few seconds) affects both sides of a pair alike.
 *
 * <p>Same per-commit code as the JMH benchmark (its state classes and methods). Variants per round, in an
 * order that rotates from round to round: {@code cluster} (a registry in cluster mode, stores no other node
 * follows: no NOTIFY), {@code pgjdbc} (the rows only), {@code pgjdbc+notify} (the rows and the upstream's
 * {@code pg_notify}, while a connection of its own LISTENs on the channel and drains it, as every cluster
 * node does), {@code single} (single-node mode), {@code followed} (the same registry, stores that a second,
 * listening node follows too: each commit sends a NOTIFY). Reported: the median throughput over the rounds, p50/p99 of all commits, and the median, minimum
 * and maximum of the per-round ratios.
 *
 * <p>Command (about 7 minutes; the arguments are optional, these are the defaults):
 * {@code mvn -q -Pbench -pl livestore-jakarta test-compile exec:exec -Dbench.main=io.livestore.bench.ClusterCommitPairs
 * -Djmh.args="rounds=10 sliceMillis=1000 threads=1,4,16 stores=1,100"}. The table goes to standard output and {@code target/cluster-pairs.md}.
 */
public final class ClusterCommitPairs {

    private static final String[] VARIANTS = {"cluster", "pgjdbc", "pgjdbc+notify", "single", "followed"};
    private static int[] threadCounts = {1, 4, 16};
    private static int[] storeCounts = {1, 100};
    private static final int MAX_SAMPLES = 1 << 20;
    private static final int MAX_THREADS = 16;

    private ClusterCommitPairs() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 10;
        long sliceMillis = 1000;
        for (String a : args) {
            if (a.startsWith("rounds=")) {
                rounds = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("sliceMillis=")) {
                sliceMillis = Long.parseLong(a.substring(12));
            } else if (a.startsWith("threads=")) {
                threadCounts = Arrays.stream(a.substring(8).split(",")).mapToInt(Integer::parseInt).toArray();
            } else if (a.startsWith("stores=")) {
                storeCounts = Arrays.stream(a.substring(7).split(",")).mapToInt(Integer::parseInt).toArray();
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "': rounds=, sliceMillis=, threads=, stores=");
            }
        }
        if (Arrays.stream(threadCounts).anyMatch(t -> t < 1 || t > MAX_THREADS)) {
            throw new IllegalArgumentException("threads= takes 1 to " + MAX_THREADS + " threads per configuration");
        }
        ClusterCommitBench bench = new ClusterCommitBench();
        ClusterCommitBench.Server server = new ClusterCommitBench.Server();
        server.start();
        ExecutorService pool = Executors.newFixedThreadPool(MAX_THREADS);
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "# Cluster commit in interleaved pairs%n%n- %d rounds of %d ms per variant, "
                + "synchronous_commit=%s, %s CPUs%n%n| stores / threads | cluster | pgjdbc | pgjdbc+notify | single | followed | "
                + "cluster ÷ pgjdbc (median, min–max) | followed ÷ pgjdbc (median, min–max) | followed ÷ pgjdbc+notify | "
                + "cluster p50 / p99 | followed p50 / p99 | pgjdbc p50 / p99 |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", rounds, sliceMillis, BenchPostgres.SYNCHRONOUS_COMMIT,
                Runtime.getRuntime().availableProcessors()));
        try (Connection listening = DriverManager.getConnection(server.postgres.jdbcUrl(), "postgres", "")) {
            try (Statement s = listening.createStatement()) {
                s.execute("LISTEN raw_bench");
            }
            Thread drain = new Thread(() -> drain(listening), "raw-bench-listener");
            drain.setDaemon(true);
            drain.start();
            ClusterCommitBench.Raw[] raws = new ClusterCommitBench.Raw[MAX_THREADS];
            for (int i = 0; i < raws.length; i++) {
                raws[i] = new ClusterCommitBench.Raw();
                raws[i].open(server);
            }
            long itemsSoFar = 0;
            for (int stores : storeCounts) {
                ClusterCommitBench.Nodes nodes = new ClusterCommitBench.Nodes();
                nodes.stores = stores;
                nodes.open(server);
                // the logs in PostgreSQL outlive a Nodes (JMH gives each trial a fresh server): item ids go on
                nodes.next.set(itemsSoFar);
                try {
                    for (int threads : threadCounts) {
                        report.append(measure(bench, nodes, raws, pool, threads, rounds, sliceMillis)).append('\n');
                        System.out.print(report);
                    }
                } finally {
                    itemsSoFar = nodes.next.get();
                    nodes.close();
                }
            }
            drain.interrupt();
            for (ClusterCommitBench.Raw r : raws) {
                r.close();
            }
        } finally {
            pool.shutdownNow();
            server.stop();
        }
        System.out.println();
        System.out.println(report);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "cluster-pairs.md"), report); // the module's target/ under Maven
    }

    private static String measure(ClusterCommitBench bench, ClusterCommitBench.Nodes nodes, ClusterCommitBench.Raw[] raws,
                                  ExecutorService pool, int threads, int rounds, long sliceMillis) throws Exception {
        double[][] rate = new double[VARIANTS.length][rounds];
        List<long[]> samples = new ArrayList<>();
        for (int v = 0; v < VARIANTS.length; v++) {
            samples.add(new long[0]);
        }
        for (int warm = 0; warm < VARIANTS.length; warm++) {
            slice(bench, nodes, raws, pool, threads, warm, sliceMillis, null);
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < VARIANTS.length; k++) {
                int v = (round + k) % VARIANTS.length;
                long[][] lat = new long[threads][];
                rate[v][round] = slice(bench, nodes, raws, pool, threads, v, sliceMillis, lat);
                samples.set(v, concat(samples.get(v), lat));
            }
        }
        double[] vsRaw = new double[rounds];
        double[] followedVsRaw = new double[rounds];
        double[] followedVsNotify = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            vsRaw[r] = rate[0][r] / rate[1][r];
            followedVsRaw[r] = rate[4][r] / rate[1][r];
            followedVsNotify[r] = rate[4][r] / rate[2][r];
        }
        long[] cluster = sorted(samples.get(0));
        long[] raw = sorted(samples.get(1));
        long[] followed = sorted(samples.get(4));
        return String.format(Locale.ROOT, "| %d / %d | %,.0f /s | %,.0f /s | %,.0f /s | %,.0f /s | %,.0f /s | %.2f× (%.2f–%.2f) | "
                        + "%.2f× (%.2f–%.2f) | %.2f× | %.2f / %.2f ms | %.2f / %.2f ms | %.2f / %.2f ms |", nodes.stores, threads,
                median(rate[0]), median(rate[1]), median(rate[2]), median(rate[3]), median(rate[4]),
                median(vsRaw), min(vsRaw), max(vsRaw), median(followedVsRaw), min(followedVsRaw), max(followedVsRaw),
                median(followedVsNotify), pct(cluster, 0.50), pct(cluster, 0.99), pct(followed, 0.50), pct(followed, 0.99),
                pct(raw, 0.50), pct(raw, 0.99));
    }

    /** One variant on {@code threads} threads for {@code millis}; commits per second. */
    private static double slice(ClusterCommitBench bench, ClusterCommitBench.Nodes nodes, ClusterCommitBench.Raw[] raws,
                                ExecutorService pool, int threads, int variant, long millis, long[][] latencies)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Long>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                long[] lat = new long[MAX_SAMPLES / 16];
                int n = 0;
                start.await();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                long now = System.nanoTime();
                long ops = 0;
                while (now < end) {
                    switch (variant) {
                        case 0 -> bench.cluster1(nodes);
                        case 1 -> bench.pgjdbc1(nodes, raws[thread]);
                        case 2 -> bench.pgjdbcNotify1(nodes, raws[thread]);
                        case 3 -> bench.single1(nodes);
                        default -> bench.followed1(nodes);
                    }
                    long after = System.nanoTime();
                    if (n < lat.length) {
                        lat[n++] = after - now;
                    }
                    now = after;
                    ops++;
                }
                if (latencies != null) {
                    latencies[thread] = Arrays.copyOf(lat, n);
                }
                return ops;
            }));
        }
        long ops = 0;
        for (Future<Long> f : done) {
            ops += f.get();
        }
        return ops * 1000.0 / millis;
    }

    private static void drain(Connection listening) {
        PGConnection pg;
        try {
            pg = listening.unwrap(PGConnection.class);
            while (!Thread.currentThread().isInterrupted()) {
                pg.getNotifications(500);
            }
        } catch (SQLException e) {
            // the benchmark ends: the connection closes under it
        }
    }

    private static long[] concat(long[] a, long[][] more) {
        int n = a.length;
        for (long[] m : more) {
            n += m.length;
        }
        long[] all = Arrays.copyOf(a, n);
        int at = a.length;
        for (long[] m : more) {
            System.arraycopy(m, 0, all, at, m.length);
            at += m.length;
        }
        return all;
    }

    private static long[] sorted(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }
}
