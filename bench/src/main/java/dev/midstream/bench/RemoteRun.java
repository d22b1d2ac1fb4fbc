package dev.midstream.bench;

import dev.midstream.host.FunctionHost;
import dev.midstream.host.Invoker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a remote step costs: the orders pipeline with one {@code derive} step in-process, then the same step served by
 * the function host over the protocol at batch sizes 1, 50 and 200, each at parallelism 2 on RocksDB, every table
 * compared with the in-process one, and the latency at the same feeding rate for in-process and batch 50 (after a
 * warm-up run that is not reported). The host
 * runs in this JVM on loopback (its CPU is in the JVM column), with 8 workers.
 */
final class RemoteRun {
    static final List<Integer> BATCHES = List.of(1, 50, 200);
    private static final String PARAMS = "params: {field: order_ref, template: \"{order_id}/{channel}\"}";

    private RemoteRun() {}

    static String inProcessStep() {
        return "transform:\n  - id: order_ref\n    function: derive\n    " + PARAMS + "\n";
    }

    static String remoteStep(String url, int batch) {
        return "transform:\n  - id: order_ref\n    remote:\n      function: derive\n      url: " + url
                + "\n      fields: [order_id, channel]\n      " + PARAMS + "\n      batch: {max_records: " + batch
                + ", linger: 20ms}\n";
    }

    static List<Result> run(BenchOptions options, Services services, FlinkRunner flink, Workload workload, CpuMeter cpu)
            throws Exception {
        FlinkRunner.Setup setup = new FlinkRunner.Setup(2, true);
        MidstreamRun base = new MidstreamRun(services, flink, options.dataDir());
        List<Result> results = new ArrayList<>();
        try (FunctionHost host = FunctionHost.start("127.0.0.1", 0, 8, 16L << 20,
                Invoker.fromClassPath(RemoteRun.class.getClassLoader()))) {
            String url = "http://127.0.0.1:" + host.port();
            MidstreamRun inProcess = base.withTransform(inProcessStep());
            // The first job in a JVM pays for class loading and JIT: a warm-up run, not reported.
            Bench.report(inProcess.throughput("Warm-up, in-process step, " + setup.label(), workload, setup, cpu));
            Result reference = Bench.report(inProcess.throughput("In-process step, " + setup.label(), workload, setup, cpu));
            results.add(reference);
            MidstreamRun batch50 = null;
            for (int batch : BATCHES) {
                MidstreamRun remote = base.withTransform(remoteStep(url, batch));
                batch50 = batch == 50 ? remote : batch50;
                results.add(Bench.report(remote.throughput("Remote step, batch " + batch + ", " + setup.label(), workload,
                        setup, cpu)));
            }

            Bench.say("Comparing every table with the in-process run");
            Map<String, String> expected = Tables.rows(services.postgres.jdbcUrl(Bench.database(reference.name())));
            for (int i = 0; i < results.size(); i++) {
                Result r = results.get(i);
                List<String> examples = new ArrayList<>();
                results.set(i, r.withComparison(Tables.compare(expected,
                        Tables.rows(services.postgres.jdbcUrl(Bench.database(r.name()))), examples)));
                Result.Comparison c = results.get(i).comparison();
                Bench.say(String.format(Locale.ROOT, "  %s: %,d equal, %,d differ, %,d missing, %,d extra", r.name(),
                        c.equal(), c.differ(), c.missing(), c.extra()));
                examples.forEach(e -> Bench.say("    e.g. " + e));
            }

            double rate = Math.max(100, Math.floor(Math.min(results.get(0).eventsPerSecond(),
                    results.get(2).eventsPerSecond()) / 2));
            MidstreamRun remote50 = batch50;
            List<LatencyRun.Contender> contenders = List.of(
                    new LatencyRun.Contender(results.get(0).name(), rate,
                            (env, topic, group, jdbc) -> inProcess.start(env, topic, group, jdbc, false)),
                    new LatencyRun.Contender(results.get(2).name(), rate,
                            (env, topic, group, jdbc) -> remote50.start(env, topic, group, jdbc, false)));
            Map<String, Result.Latency> latencies = new LatencyRun(services, flink, cpu, setup)
                    .measure(contenders, options.latencyRounds(), options.latency());
            for (int i : List.of(0, 2)) {
                results.set(i, results.get(i).withLatency(latencies.get(results.get(i).name())));
            }
        }
        return results;
    }
}
