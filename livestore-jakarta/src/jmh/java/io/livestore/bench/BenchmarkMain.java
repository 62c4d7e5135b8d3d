package io.livestore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the LiveStore benchmarks and compares each figure with its baseline measured in the same run.
 *
 * <p>{@code mvn -Pbench test-compile exec:exec [-Djmh.args="..."]}. The arguments are JMH's command
 * line: regular expressions select benchmarks ({@code Commit}, {@code PointQuery.*livestore}), options
 * override the per-class defaults ({@code -wi 1 -i 2 -prof stack}). Defaults: every benchmark in this
 * package, one fork, the warmup/measurement of each class's annotations (about 4 minutes in all
 * on a 2-core machine).
 *
 * <p>After JMH's own table this prints a table of each figure, its baseline, the ratio and the target
 * of DESIGN.md section 7, and writes it to {@code target/bench-report.md}.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    /** How a figure is read and judged. */
    enum Kind {
        /** Operations (or events) per second; ratio ours/baseline, target a minimum ratio. */
        THROUGHPUT,
        /** Time per operation; ratio ours/baseline (higher is slower), target a maximum of ours. */
        TIME
    }

    /**
     * Which statistic of a result a figure uses. P50/P99 need sample-time results; a THROUGHPUT figure of a
     * sample-time result is derived as threads / mean time per operation.
     */
    enum Stat { MEAN, MEDIAN, P50, P99 }

    /**
     * One line of the report.
     *
     * @param figure    what is measured
     * @param ours      the benchmark method (class.method) measuring LiveStore (or the library's choice)
     * @param baseline  the benchmark method measuring the baseline
     * @param param     a JMH parameter {@code key=value} both results must have, or null
     * @param kind      throughput or time
     * @param stat      mean or median
     * @param unit      display unit: "ops/s", "events/s", "µs", "ms", "s"
     * @param target    for THROUGHPUT a minimum ratio; for TIME a maximum of ours in {@code unit}; NaN for a
     *                  control (an explanatory variant of a baseline, not judged)
     * @param targetText the target as DESIGN.md states it
     */
    record Figure(String figure, String ours, String baseline, String param, Kind kind, Stat stat, String unit,
                  double target, String targetText) {
    }

    static final String P = "io.livestore.bench.";

    static final List<Figure> FIGURES = List.of(
            new Figure("registry getOrLoad hit, unretained store, 1 thread(s) vs Caffeine AsyncLoadingCache.get",
                    P + "RegistryBench.getOrLoad1", P + "RegistryBench.caffeine1", null, Kind.THROUGHPUT, Stat.MEAN,
                    "ops/s", 0.5, "≥ 0.5× Caffeine"),
            new Figure("registry getOrLoad hit, unretained store, 1 thread(s) vs ConcurrentHashMap.get",
                    P + "RegistryBench.getOrLoad1", P + "RegistryBench.chm1", null, Kind.THROUGHPUT, Stat.MEAN,
                    "ops/s", 0.3, "≥ 0.3× CHM"),
            new Figure("registry getOrLoad hit, retained store, 1 thread(s) vs Caffeine AsyncLoadingCache.get",
                    P + "RegistryBench.getOrLoadRetained1", P + "RegistryBench.caffeine1", null, Kind.THROUGHPUT,
                    Stat.MEAN, "ops/s", 1.0, "≥ 1.0× Caffeine"),
            new Figure("registry retain + close, 1 thread(s) vs Caffeine AsyncLoadingCache.get",
                    P + "RegistryBench.retainClose1", P + "RegistryBench.caffeine1", null, Kind.THROUGHPUT,
                    Stat.MEAN, "ops/s", 0.5, "≥ 0.5× Caffeine"),
            new Figure("registry retain + close, 1 thread(s) vs ConcurrentHashMap.get",
                    P + "RegistryBench.retainClose1", P + "RegistryBench.chm1", null, Kind.THROUGHPUT,
                    Stat.MEAN, "ops/s", 0.3, "≥ 0.3× CHM"),
            new Figure("registry getOrLoad hit, unretained store, 2 thread(s) vs Caffeine AsyncLoadingCache.get",
                    P + "RegistryBench.getOrLoad2", P + "RegistryBench.caffeine2", null, Kind.THROUGHPUT, Stat.MEAN,
                    "ops/s", 0.5, "≥ 0.5× Caffeine"),
            new Figure("registry getOrLoad hit, unretained store, 2 thread(s) vs ConcurrentHashMap.get",
                    P + "RegistryBench.getOrLoad2", P + "RegistryBench.chm2", null, Kind.THROUGHPUT, Stat.MEAN,
                    "ops/s", 0.3, "≥ 0.3× CHM"),
            new Figure("registry getOrLoad hit, retained store, 2 thread(s) vs Caffeine AsyncLoadingCache.get",
                    P + "RegistryBench.getOrLoadRetained2", P + "RegistryBench.caffeine2", null, Kind.THROUGHPUT,
                    Stat.MEAN, "ops/s", 1.0, "≥ 1.0× Caffeine"),
            new Figure("registry retain + close, 2 thread(s) vs Caffeine AsyncLoadingCache.get",
                    P + "RegistryBench.retainClose2", P + "RegistryBench.caffeine2", null, Kind.THROUGHPUT,
                    Stat.MEAN, "ops/s", 0.5, "≥ 0.5× Caffeine"),
            new Figure("registry retain + close, 2 thread(s) vs ConcurrentHashMap.get",
                    P + "RegistryBench.retainClose2", P + "RegistryBench.chm2", null, Kind.THROUGHPUT,
                    Stat.MEAN, "ops/s", 0.3, "≥ 0.3× CHM"),
            new Figure("commit, 1 event per commit (WAL, synchronous=NORMAL)", P + "CommitBench.livestore",
                    P + "CommitBench.sqliteJdbc", null, Kind.THROUGHPUT, Stat.MEAN, "ops/s", 0.5, "≥ 0.5× jdbc"),
            new Figure("commit, 1000-event batch (WAL, synchronous=NORMAL)", P + "BatchCommitBench.livestore",
                    P + "BatchCommitBench.sqliteJdbc", null, Kind.THROUGHPUT, Stat.MEAN, "events/s", 0.7, "≥ 0.7× jdbc"),
            new Figure("control: jdbc batch with driver defaults (generated keys fetched after each INSERT)",
                    P + "BatchCommitBench.sqliteJdbcNoGeneratedKeys", P + "BatchCommitBench.sqliteJdbc", null,
                    Kind.THROUGHPUT, Stat.MEAN, "events/s", Double.NaN, "—"),
            new Figure("point query by primary key, typed API (median)", P + "PointQueryBench.livestore",
                    P + "PointQueryBench.sqliteJdbc", null, Kind.TIME, Stat.MEDIAN, "µs", 5.0, "≤ 5 µs median"),
            new Figure("cold open of a 10k-event store + first query (mean)", P + "ColdOpenBench.livestore",
                    P + "ColdOpenBench.sqliteJdbc", null, Kind.TIME, Stat.MEAN, "ms", 5.0, "≤ 5 ms"),
            new Figure("rebuild of 100k events (mean; jdbc: insert 100k rows)", P + "RebuildBench.livestore",
                    P + "RebuildBench.sqliteJdbc", null, Kind.TIME, Stat.MEAN, "s", 1.5, "≤ 1.5 s"),
            new Figure("JSON codec encode+decode ItemAdded: Jackson vs Yasson", P + "CodecBench.jackson",
                    P + "CodecBench.yasson", "event=ItemAdded", Kind.THROUGHPUT, Stat.MEAN, "ops/s", 1.0,
                    "≥ 1.0× (justifies Jackson)"),
            new Figure("JSON codec encode+decode ItemTouched (Instant): Jackson vs Yasson", P + "CodecBench.jackson",
                    P + "CodecBench.yasson", "event=ItemTouched", Kind.THROUGHPUT, Stat.MEAN, "ops/s", 1.0,
                    "≥ 1.0× (justifies Jackson)"));

    /** The cluster figures (ClusterCommitBench): per store count and thread count, plus node A → node B. */
    static final List<Figure> CLUSTER_FIGURES = clusterFigures();

    private static List<Figure> clusterFigures() {
        String c = P + "ClusterCommitBench.";
        String sync = "synchronous_commit=" + BenchPostgres.SYNCHRONOUS_COMMIT;
        List<Figure> figures = new java.util.ArrayList<>();
        for (String stores : List.of("1", "100")) {
            for (String threads : List.of("1", "4", "16")) {
                String where = stores + " store(s), " + threads + " thread(s)";
                String param = "stores=" + stores;
                figures.add(new Figure("cluster commit, " + where + " vs raw pgjdbc same rows (" + sync + ")",
                        c + "cluster" + threads, c + "pgjdbc" + threads, param, Kind.THROUGHPUT, Stat.MEAN, "ops/s",
                        0.7, "≥ 0.7× pgjdbc"));
                figures.add(new Figure("control: cluster commit, " + where + " vs single-node commit",
                        c + "cluster" + threads, c + "single" + threads, param, Kind.THROUGHPUT, Stat.MEAN, "ops/s",
                        Double.NaN, "—"));
                figures.add(new Figure("control: cluster commit p50, " + where + " vs raw pgjdbc p50",
                        c + "cluster" + threads, c + "pgjdbc" + threads, param, Kind.TIME, Stat.P50, "ms",
                        Double.NaN, "—"));
                figures.add(new Figure("control: cluster commit p99, " + where + " vs raw pgjdbc p99",
                        c + "cluster" + threads, c + "pgjdbc" + threads, param, Kind.TIME, Stat.P99, "ms",
                        Double.NaN, "—"));
                figures.add(new Figure("control: single-node commit p50 vs cluster commit p50, " + where,
                        c + "single" + threads, c + "cluster" + threads, param, Kind.TIME, Stat.P50, "ms",
                        Double.NaN, "—"));
                figures.add(new Figure("control: raw pgjdbc + pg_notify (the upstream's statement) vs raw pgjdbc, "
                        + where, c + "pgjdbcNotify" + threads, c + "pgjdbc" + threads, param, Kind.THROUGHPUT,
                        Stat.MEAN, "ops/s", Double.NaN, "—"));
                figures.add(new Figure("control: cluster commit vs raw pgjdbc + pg_notify, " + where,
                        c + "cluster" + threads, c + "pgjdbcNotify" + threads, param, Kind.THROUGHPUT,
                        Stat.MEAN, "ops/s", Double.NaN, "—"));
            }
        }
        figures.add(new Figure("commit on node A seen by node B's subscription, p99 (baseline column: p50)",
                c + "aToB", c + "aToB", null, Kind.TIME, Stat.P99, "ms", 50.0, "p99 ≤ 50 ms"));
        return List.copyOf(figures);
    }

    /** Every figure of the report, in order. */
    static final List<Figure> ALL_FIGURES = java.util.stream.Stream.concat(FIGURES.stream(), CLUSTER_FIGURES.stream())
            .toList();

    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing JMH arguments: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cli.shouldHelp()) {
            cli.showHelp();
            return;
        }
        if (cli.shouldListProfilers()) {
            cli.listProfilers();
            return;
        }
        if (cli.shouldListResultFormats()) {
            cli.listResultFormats();
            return;
        }
        // Command line first (parent), defaults only where it says nothing.
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            builder.include(P.replace(".", "\\.") + ".*");
        }
        if (!cli.getForkCount().hasValue()) {
            builder.forks(1);
        }
        if (!cli.shouldFailOnError().hasValue()) {
            builder.shouldFailOnError(true);
        }
        if (!cli.getJvmArgsAppend().hasValue()) {
            // slf4j-api is on the test classpath without a provider; its warning would garble JMH's output.
            builder.jvmArgsAppend("-Dslf4j.internal.verbosity=ERROR");
        }
        Options options = builder.build();
        Runner runner = new Runner(options);
        if (cli.shouldList() || cli.shouldListWithParams()) {
            runner.list();
            return;
        }
        long start = System.nanoTime();
        Collection<RunResult> results = runner.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        String report = report(results, args, took);
        System.out.println();
        System.out.println(report);
        Path file = Path.of("target", "bench-report.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println("Report written to " + file.toAbsolutePath());
    }

    static String report(Collection<RunResult> results, String[] args, Duration took) {
        Map<String, RunResult> byKey = new LinkedHashMap<>();
        for (RunResult r : results) {
            byKey.put(key(r.getParams()), r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# LiveStore benchmarks vs baselines\n\n");
        sb.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        sb.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("- JMH args: ").append(args.length == 0 ? "(defaults)" : String.join(" ", args)).append('\n');
        sb.append("- run time: ").append(formatDuration(took)).append('\n');
        sb.append("- commit figures: file store, Durability.PROCESS_CRASH (journal_mode=WAL, synchronous=NORMAL, "
                + "locking_mode=EXCLUSIVE); the jdbc baselines use the same pragmas and driver settings (jdbc.get_generated_keys=false)\n");
        sb.append("- ratio is measured / baseline: for throughput higher is better, for times it is the "
                + "slowdown factor (the target of a time figure is on the measured value itself); "
                + "'control' rows are variants of a baseline that explain a gap, not judged\n\n");
        sb.append("| figure | measured | baseline | ratio | target | result |\n");
        sb.append("|---|---:|---:|---:|---|---|\n");
        int pass = 0;
        int miss = 0;
        for (Figure f : ALL_FIGURES) {
            RunResult ours = byKey.get(f.ours() + paramSuffix(f.param()));
            RunResult base = byKey.get(f.baseline() + paramSuffix(f.param()));
            if (ours == null && base == null) {
                continue;
            }
            double o = ours == null ? Double.NaN : value(ours, f);
            double b = base == null ? Double.NaN : value(base, baselineStat(f));
            double ratio = o / b;
            String verdict;
            if (Double.isNaN(f.target())) {
                verdict = "control";
            } else if (f.kind() == Kind.THROUGHPUT) {
                verdict = Double.isNaN(ratio) ? "n/a" : ratio >= f.target() ? "PASS" : "MISS";
            } else {
                verdict = Double.isNaN(o) ? "n/a" : o <= f.target() ? "PASS" : "MISS";
            }
            if (verdict.equals("PASS")) {
                pass++;
            } else if (verdict.equals("MISS")) {
                miss++;
            }
            sb.append("| ").append(f.figure())
                    .append(" | ").append(format(o, f.unit()))
                    .append(" | ").append(format(b, f.unit()))
                    .append(" | ").append(Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio))
                    .append(" | ").append(f.targetText())
                    .append(" | ").append(verdict.equals("MISS") ? "**MISS**" : verdict)
                    .append(" |\n");
        }
        sb.append('\n').append(pass).append(" PASS, ").append(miss).append(" MISS\n");
        return sb.toString();
    }

    /**
     * The figure the baseline column is read as: the same, except that a figure comparing a benchmark
     * with itself shows its p50 next to its p99 (or its p99 next to its p50).
     */
    static Figure baselineStat(Figure f) {
        if (!f.ours().equals(f.baseline())) {
            return f;
        }
        Stat other = f.stat() == Stat.P99 ? Stat.P50 : Stat.P99;
        return new Figure(f.figure(), f.ours(), f.baseline(), f.param(), f.kind(), other, f.unit(), f.target(),
                f.targetText());
    }

    private static String key(BenchmarkParams params) {
        StringBuilder sb = new StringBuilder(params.getBenchmark());
        Map<String, String> sorted = new TreeMap<>();
        for (String k : params.getParamsKeys()) {
            sorted.put(k, params.getParam(k));
        }
        sorted.forEach((k, v) -> sb.append('|').append(k).append('=').append(v));
        return sb.toString();
    }

    private static String paramSuffix(String param) {
        return param == null ? "" : "|" + param;
    }

    /** The figure's statistic of a result, in the figure's display unit. */
    static double value(RunResult run, Figure f) {
        Result<?> r = run.getPrimaryResult();
        String unit = r.getScoreUnit();
        double raw;
        boolean sampled = run.getParams().getMode() == Mode.SampleTime;
        if ((f.stat() == Stat.MEDIAN || f.stat() == Stat.P50) && sampled) {
            raw = r.getStatistics().getPercentile(50.0);
        } else if (f.stat() == Stat.P99 && sampled) {
            raw = r.getStatistics().getPercentile(99.0);
        } else if (f.stat() == Stat.P50 || f.stat() == Stat.P99) {
            throw new IllegalStateException(f.ours() + ": percentiles need sample-time results, got " + unit);
        } else {
            raw = r.getScore();
        }
        int slash = unit.indexOf('/');
        String left = unit.substring(0, slash);
        String right = unit.substring(slash + 1);
        if (f.kind() == Kind.THROUGHPUT && sampled && right.equals("op")) {
            // every thread does one operation per mean time: throughput = threads / mean
            return run.getParams().getThreads() / (raw * seconds(left));
        }
        if (f.kind() == Kind.THROUGHPUT) {
            if (!left.equals("ops")) {
                throw new IllegalStateException(f.ours() + ": expected a throughput unit, got " + unit
                        + " (do not override -bm for this benchmark)");
            }
            return raw / seconds(right); // per second
        }
        if (!right.equals("op")) {
            throw new IllegalStateException(f.ours() + ": expected a time per operation, got " + unit
                    + " (do not override -bm for this benchmark)");
        }
        return raw * seconds(left) / seconds(displayTimeUnit(f.unit()));
    }

    private static String displayTimeUnit(String unit) {
        return unit.equals("µs") ? "us" : unit;
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86400;
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
    }

    private static String format(double v, String unit) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        String number;
        if (v >= 1000) {
            number = String.format(Locale.ROOT, "%,.0f", v);
        } else if (v >= 100) {
            number = String.format(Locale.ROOT, "%.1f", v);
        } else if (v >= 10) {
            number = String.format(Locale.ROOT, "%.2f", v);
        } else {
            number = String.format(Locale.ROOT, "%.3f", v);
        }
        return number + " " + unit;
    }

    private static String formatDuration(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}
