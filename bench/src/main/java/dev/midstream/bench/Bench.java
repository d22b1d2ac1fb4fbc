package dev.midstream.bench;

import dev.midstream.record.FlowRecord;
import dev.midstream.testkit.MariaDbServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark: one pre-loaded topic of messy orders, then each contender on the same machine in the same run
 * (Midstream at parallelism 1, 2 and 4 on heap and RocksDB state, the equivalent Flink SQL job with the default and
 * tuned sink flush sizes, and PostgreSQL's own ceiling), latency probes at half the measured rate, and a table, a CSV
 * and a chart. The reference and the faster tuned SQL job run a second time at the end, in reverse order, and issue
 * 19's targets are read off both runs of each. With MariaDB installed, Midstream at parallelism 2 on RocksDB also
 * writes into MariaDB, so both sinks are measured on the same data in one run. Run it with bench/run.sh.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        run(options);
        System.exit(0); // Flink's and Kafka's non-daemon threads must not keep the JVM alive
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static void run(BenchOptions options) throws Exception {
        long t0 = System.nanoTime();
        wipe(options.dataDir());
        Files.createDirectories(options.dataDir());
        say("Starting PostgreSQL 17 and a Kafka broker (data in " + options.dataDir() + ")");
        try (Services services = Services.start(options.dataDir())) {
            CpuMeter cpu = new CpuMeter(services.pgData, services.broker.pid());
            say(String.format(Locale.ROOT, "Pre-loading %,d messy events", options.records()));
            Workload workload = Workload.preload(services, "bench-orders", options.records());
            say(String.format(Locale.ROOT, "  %,d events, %,d orders: %s", workload.events, workload.orders, workload.outcomes));

            FlinkRunner flink = new FlinkRunner(options.dataDir().resolve("checkpoints"),
                    FlinkRunner.load(options.flinkConf()));
            if (options.remote()) {
                List<Result> results = RemoteRun.run(options, services, flink, workload, cpu);
                finish(options, results, workload, "remote-latest", "One step in-process vs remote", "", t0);
                return;
            }
            MidstreamRun midstream = new MidstreamRun(services, flink, options.dataDir());
            SqlRun sql = new SqlRun(services, flink);
            FlinkRunner.Setup p2rocks = new FlinkRunner.Setup(2, true);
            List<Result> results = new ArrayList<>();

            if (options.sinkOnly()) {
                // The job with statements and with COPY (the default), after a warm-up: B A A B.
                String name = "Midstream, " + p2rocks.label();
                MidstreamRun statements = midstream.withOption("midstream.sink.write-method", "statement");
                report(midstream.throughput("Warm-up (not reported), " + p2rocks.label(), workload, p2rocks, cpu));
                List<Result> sinkResults = new ArrayList<>();
                sinkResults.add(report(statements.throughput(name + ", statements", workload, p2rocks, cpu)));
                Result reference = report(midstream.throughput(name, workload, p2rocks, cpu));
                sinkResults.add(reference);
                sinkResults.add(report(midstream.throughput(name + ", again", workload, p2rocks, cpu)));
                sinkResults.add(report(statements.throughput(name + ", statements, again", workload, p2rocks, cpu)));
                sinkResults.addAll(sinkOnly(services, reference, cpu));
                compareWithReference(services, reference, sinkResults, Map.of());
                finish(options, sinkResults, workload, "sink-latest", "The job's table writes without the job", "", t0);
                return;
            }
            if (!options.confAb().isEmpty()) {
                configurationAb(options, services, midstream, flink, p2rocks, workload, cpu, t0);
                return;
            }
            if (options.quick()) {
                // The first job in a JVM pays for class loading and JIT; the full run's p=1 contenders absorb that.
                report(midstream.throughput("Warm-up (not reported), " + p2rocks.label(), workload, p2rocks, cpu));
            }
            List<FlinkRunner.Setup> setups = options.quick() ? List.of(p2rocks) : List.of(new FlinkRunner.Setup(1, false),
                    new FlinkRunner.Setup(1, true), new FlinkRunner.Setup(2, false), p2rocks);
            for (FlinkRunner.Setup setup : setups) {
                results.add(report(midstream.throughput("Midstream, " + setup.label(), workload, setup, cpu)));
            }
            Result reference = results.get(results.size() - 1);
            // What the exact quality history costs: the same job without it, in the same run.
            results.add(report(midstream.withOption("midstream.quality.table", "none").throughput("Midstream, "
                    + p2rocks.label() + ", no quality history", workload, p2rocks, cpu)));
            // What larger table batches change (the batch interval still bounds a row's wait; probed for latency too).
            MidstreamRun bigBatches = midstream.withOption("midstream.sink.batch-size", "2000");
            Result bigBatchesResult = report(bigBatches.throughput("Midstream, " + p2rocks.label()
                    + ", 2,000-row batches", workload, p2rocks, cpu));
            results.add(bigBatchesResult);
            Map<String, Map<String, String>> elsewhere = new java.util.HashMap<>();
            if (MariaDbServer.binaries().isPresent()) {
                String name = "Midstream, " + p2rocks.label() + ", into MariaDB";
                say("Starting MariaDB (InnoDB durable, as PostgreSQL is) for " + name);
                try (MariaDbServer mariadb = MariaDbServer.start(options.dataDir(), true)) {
                    mariadb.createDatabase(database(name));
                    String url = mariadb.jdbcUrl(database(name));
                    results.add(report(midstream.throughput(name, workload, p2rocks, cpu.withDatabase(mariadb.pid()), url)));
                    elsewhere.put(name, Tables.rows(url));
                }
            } else {
                say("MariaDB is not installed, so its sink is not measured: " + MariaDbServer.INSTALL);
            }
            List<SqlRun.Tuning> tunings = new ArrayList<>();
            if (!options.quick()) {
                tunings.add(new SqlRun.Tuning(SqlRun.DEFAULT_FLUSH_ROWS, false));
            }
            tunings.add(new SqlRun.Tuning(SqlRun.TUNED_FLUSH_ROWS, false));
            tunings.add(new SqlRun.Tuning(SqlRun.TUNED_FLUSH_ROWS, true));
            Map<String, SqlRun.Tuning> sqlTunings = new java.util.HashMap<>();
            Result anchor = null;
            for (SqlRun.Tuning tuning : tunings) {
                String name = "Flink SQL, " + tuning.label() + ", " + p2rocks.label();
                sqlTunings.put(name, tuning);
                Result r = report(sql.throughput(name, workload, p2rocks, tuning, cpu));
                results.add(r);
                if (tuning.flushRows() == SqlRun.TUNED_FLUSH_ROWS
                        && (anchor == null || r.eventsPerSecond() > anchor.eventsPerSecond())) {
                    anchor = r;
                }
            }
            // A contender's place in the run moved its throughput by up to a quarter here: the anchor and the
            // reference again, in reverse order, so the targets compare A ... B B A.
            String anchorAgain = anchor.name() + ", again";
            String referenceAgain = reference.name() + ", again";
            if (!options.quick()) {
                results.add(report(sql.throughput(anchorAgain, workload, p2rocks, sqlTunings.get(anchor.name()), cpu)));
                results.add(report(midstream.throughput(referenceAgain, workload, p2rocks, cpu)));
                // For sizing: more slots than cores (and than the topic's 2 partitions: two source readers idle).
                FlinkRunner.Setup p4rocks = new FlinkRunner.Setup(4, true);
                results.add(report(midstream.throughput("Midstream, " + p4rocks.label(), workload, p4rocks, cpu)));
            }

            // What Flink alone costs for this shape, the engine's side of the bound the ceiling is for PostgreSQL.
            Result floor = report(new FloorRun(services, flink).throughput(workload, p2rocks, cpu));
            results.add(floor);

            String referenceUrl = services.postgres.jdbcUrl(database(reference.name()));
            say("Ceiling: the reference run's " + reference.rows() + " final rows straight into PostgreSQL");
            List<CeilingRun.Row> finalRows = CeilingRun.read(referenceUrl);
            CeilingRun ceiling = new CeilingRun(services);
            Result copyCeiling = report(ceiling.copyAndMerge(finalRows, cpu));
            results.add(copyCeiling);
            results.add(report(ceiling.multiRowUpserts(finalRows, cpu)));
            results.addAll(sinkOnly(services, reference, cpu));

            compareWithReference(services, reference, results, elsewhere);

            List<LatencyRun.Contender> probed = new ArrayList<>();
            for (Result r : results) {
                boolean probeBig = r.name().equals(bigBatchesResult.name());
                boolean probeMidstream = r.name().equals(reference.name()) || probeBig;
                SqlRun.Tuning tuning = sqlTunings.get(r.name());
                if (!probeMidstream && (tuning == null || tuning.flushRows() != SqlRun.TUNED_FLUSH_ROWS)) {
                    continue;
                }
                double rate = options.latencyRate() > 0 ? options.latencyRate()
                        : Math.max(100, Math.floor(r.eventsPerSecond() / 2));
                probed.add(new LatencyRun.Contender(r.name(), rate, probeMidstream
                        ? (env, topic, group, url) -> (probeBig ? bigBatches : midstream).start(env, topic, group, url,
                                false)
                        : (env, topic, group, url) -> sql.start(env, topic, group, url, false, tuning)));
            }
            Map<String, Result.Latency> latencies = new LatencyRun(services, flink, cpu, p2rocks)
                    .measure(probed, options.latencyRounds(), options.latency());
            results.replaceAll(r -> latencies.containsKey(r.name()) ? r.withLatency(latencies.get(r.name())) : r);

            Map<String, Result> byName = new java.util.HashMap<>();
            results.forEach(r -> byName.put(r.name(), r));
            String targets = options.quick() ? "" : new Targets(byName.get(reference.name()), byName.get(referenceAgain),
                    byName.get(anchor.name()), byName.get(anchorAgain), copyCeiling, floor).markdown();
            finish(options, results, workload, "latest", "Midstream vs Flink SQL vs PostgreSQL ceiling", targets, t0);
        }
    }

    /** Every contender's table against the reference run's, row by row (the ceilings' and MariaDB's included). */
    private static void compareWithReference(Services services, Result reference, List<Result> results,
            Map<String, Map<String, String>> elsewhere) throws Exception {
        say("Comparing every table with the reference (" + reference.name() + ")");
        Map<String, String> expected = Tables.rows(services.postgres.jdbcUrl(database(reference.name())));
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (r.kind().equals("floor")) {
                continue; // writes no table
            }
            String db = r.kind().equals("ceiling") ? (r.name().contains("COPY") ? "ceiling_copy" : "ceiling_upsert")
                    : database(r.name());
            List<String> examples = new ArrayList<>();
            Map<String, String> rows = elsewhere.containsKey(r.name()) ? elsewhere.get(r.name())
                    : Tables.rows(services.postgres.jdbcUrl(db));
            results.set(i, r.withComparison(Tables.compare(expected, rows, examples)));
            Result.Comparison c = results.get(i).comparison();
            say(String.format(Locale.ROOT, "  %s: %,d equal, %,d differ, %,d missing, %,d extra", r.name(), c.equal(),
                    c.differ(), c.missing(), c.extra()));
            examples.forEach(e -> say("    e.g. " + e));
        }
    }

    /**
     * What Flink settings change: after two warm-ups, the job with the configuration as it is (A) and with the settings
     * on top (B), A B B A, so a drift over the run (the broker's and PostgreSQL's files growing) falls on both.
     */
    private static void configurationAb(BenchOptions options, Services services, MidstreamRun midstream,
            FlinkRunner flink, FlinkRunner.Setup p2rocks, Workload workload, CpuMeter cpu, long t0) throws Exception {
        String settings = options.confAb().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
        // midstream.* keys are the job's options (as in its --conf file); the rest are Flink's.
        Map<String, String> flinkSettings = new java.util.LinkedHashMap<>();
        MidstreamRun withSettings = midstream;
        for (Map.Entry<String, String> e : options.confAb().entrySet()) {
            if (e.getKey().startsWith("midstream.")) {
                withSettings = withSettings.withOption(e.getKey(), e.getValue());
            } else {
                flinkSettings.put(e.getKey(), e.getValue());
            }
        }
        withSettings = withSettings.withFlink(flink.with(flinkSettings));
        // The settings go in the summary: a contender's name also names its database, at most 63 characters.
        String a = "Midstream, " + p2rocks.label() + ", A";
        String b = "Midstream, " + p2rocks.label() + ", B";
        // Seen on 12-07: the run after one warm-up was still 15 % slower than the three after it.
        for (int i = 1; i <= 2; i++) {
            report(midstream.throughput("Warm-up " + i + " (not reported), " + p2rocks.label(), workload, p2rocks, cpu));
        }
        List<Result> results = new ArrayList<>();
        results.add(report(midstream.throughput(a, workload, p2rocks, cpu)));
        results.add(report(withSettings.throughput(b, workload, p2rocks, cpu)));
        results.add(report(withSettings.throughput(b + ", again", workload, p2rocks, cpu)));
        results.add(report(midstream.throughput(a + ", again", workload, p2rocks, cpu)));
        compareWithReference(services, results.get(0), results, Map.of());
        double eventsA = results.get(0).eventsPerSecond() + results.get(3).eventsPerSecond();
        double eventsB = results.get(1).eventsPerSecond() + results.get(2).eventsPerSecond();
        double cpuA = results.get(0).cpu().jvm() + results.get(3).cpu().jvm();
        double cpuB = results.get(1).cpu().jvm() + results.get(2).cpu().jvm();
        String summary = String.format(Locale.ROOT, "%nA: %s. B: A with %s. B made %.3f× the events/s of A, with"
                + " %.3f× its JVM CPU-seconds (both runs of each summed, in the order A B B A).%n",
                Path.of("").toAbsolutePath().relativize(options.flinkConf()), settings, eventsB / eventsA, cpuB / cpuA);
        finish(options, results, workload, "conf-ab-latest", "Flink settings, A B B A", summary, t0);
    }

    /**
     * The reference run's final rows through the job's two ways of writing a batch (one statement; COPY and a merge),
     * in batches of three sizes, without Flink; the two alternate which goes first.
     */
    private static List<Result> sinkOnly(Services services, Result reference, CpuMeter cpu) throws Exception {
        List<FlowRecord> rows = BatchedSinkRun.read(services.postgres.jdbcUrl(database(reference.name())));
        BatchedSinkRun run = new BatchedSinkRun(services);
        List<Result> results = new ArrayList<>();
        boolean copyFirst = false;
        for (int batch : new int[] {500, 2000, 5000}) {
            results.add(report(run.write(rows, batch, copyFirst, cpu)));
            results.add(report(run.write(rows, batch, !copyFirst, cpu)));
            copyFirst = !copyFirst;
        }
        return results;
    }

    private static void finish(BenchOptions options, List<Result> results, Workload workload, String stem, String title,
            String targets, long t0) throws IOException {
        String machine = Machine.describe();
        say("");
        say(Report.markdown(results, machine, workload) + targets);
        for (Path written : Report.write(options.results(), stem, title, results, machine, workload, targets)) {
            say("Wrote " + written);
        }
        say(String.format(Locale.ROOT, "Done in %.1f min", (System.nanoTime() - t0) / 60e9));
    }

    static String database(String contender) {
        return contender.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    static Result report(Result r) {
        say(String.format(Locale.ROOT, "%-52s %7.1f s %,10.0f events/s %,10.0f rows/s  CPU %.0f s JVM + %.0f s database",
                r.name(), r.seconds(), r.eventsPerSecond(), r.rowsPerSecond(), r.cpu().jvm(), r.cpu().postgres()));
        return r;
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
