package dev.midstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bench's command line.
 *
 * @param records messy events pre-loaded into the raw topic
 * @param latency how long each latency probe feeds events at half the contender's measured rate
 * @param latencyRate events/s of every latency probe, or 0 for half of each contender's measured rate
 * @param latencyRounds how many times each contender's latency is probed (after one warm-up probe), pooled
 * @param sinkOnly only the reference run, then its rows through the job's table SQL in batches of 500, 2,000 and 5,000
 * @param quick only Midstream at parallelism 2 on RocksDB, the tuned SQL job and the ceiling (for a look, not a report)
 * @param remote one step in-process against remote instead
 * @param confAb settings to measure instead, Flink's on top of {@code flinkConf} or the job's ({@code midstream.*}):
 *     the job with and without them
 * @param flinkConf the directory of the {@code config.yaml} every Flink run starts from
 * @param dataDir Kafka, PostgreSQL and checkpoints (deleted at the start)
 * @param results where the Markdown table, the CSV and the chart go
 */
record BenchOptions(long records, Duration latency, long latencyRate, int latencyRounds, boolean sinkOnly, boolean quick,
        boolean remote, Map<String, String> confAb, Path flinkConf, Path dataDir, Path results) {
    static final String USAGE = """
            Usage: bench/run.sh [--records N] [--latency-seconds S] [--latency-rate N] [--latency-rounds N] [--quick] [--sink-only]
                                  [--remote] [--conf-ab KEY=VALUE]... [--flink-conf DIR] [--data-dir DIR] [--results DIR]
              --records N          messy events pre-loaded into the raw topic (default 2000000)
              --latency-seconds S  each latency probe's feeding time (default 15)
              --latency-rate N     probe every contender at N events/s, so builds compare at one rate
                                   (default: half of each contender's measured rate)
              --latency-rounds N   probe every contender N times, each round in another order, after a warm-up
                                   probe, and pool the rounds' orders into one p99 (default 3)
              --quick              fewer contenders, for a first look
              --sink-only          after a warm-up, the job with statements and with COPY (B A A B), then its rows through the job's table SQL in batches
                                   of 500, 2000 and 5000 rows, without Flink (results in sink-latest.*)
              --remote             instead: one step in-process vs remote at batch sizes 1, 50 and 200
                                   (default 200000 events; results in remote-latest.*)
              --conf-ab KEY=VALUE  instead: after two warm-ups, Midstream p=2 RocksDB with the Flink configuration as it is (A)
                                   and with these settings on top (B), A B B A (results in conf-ab-latest.*); repeatable;
                                   a midstream.* key is a job option (e.g. midstream.sink.batch-size=2000)
              --flink-conf DIR     the Flink configuration every run starts from (default flink-conf/local)
              --data-dir DIR       Kafka, PostgreSQL and checkpoints, wiped first (default target/bench-data)
              --results DIR        Markdown, CSV and PNG results (default bench/results)
            """;

    static BenchOptions parse(String[] args) {
        Long records = null;
        long latency = 15;
        long latencyRate = 0;
        int latencyRounds = 3;
        boolean quick = false;
        boolean sinkOnly = false;
        boolean remote = false;
        Map<String, String> confAb = new LinkedHashMap<>();
        Path flinkConf = Path.of("flink-conf", "local");
        Path dataDir = Path.of("target", "bench-data");
        Path results = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--quick")) {
                quick = true;
                continue;
            }
            if (flag.equals("--sink-only")) {
                sinkOnly = true;
                continue;
            }
            if (flag.equals("--remote")) {
                remote = true;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--records" -> records = Long.parseLong(value);
                    case "--latency-seconds" -> latency = Long.parseLong(value);
                    case "--latency-rate" -> latencyRate = Long.parseLong(value);
                    case "--latency-rounds" -> latencyRounds = Integer.parseInt(value);
                    case "--conf-ab" -> {
                        int eq = value.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--conf-ab expects KEY=VALUE as in config.yaml, e.g."
                                    + " state.backend.rocksdb.use-bloom-filter=true, got '" + value + "'");
                        }
                        confAb.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
                    }
                    case "--flink-conf" -> flinkConf = Path.of(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--results" -> results = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " expects a whole number, got '" + value + "'");
            }
        }
        if (records == null) {
            records = remote ? 200_000L : 2_000_000L;
        }
        if (records < 1000 || latency < 5 || latencyRate < 0 || latencyRounds < 1) {
            throw new IllegalArgumentException("--records must be at least 1000, --latency-seconds at least 5,"
                    + " --latency-rate not negative and --latency-rounds at least 1");
        }
        return new BenchOptions(records, Duration.ofSeconds(latency), latencyRate, latencyRounds, sinkOnly, quick, remote,
                Collections.unmodifiableMap(confAb), flinkConf.toAbsolutePath(), dataDir.toAbsolutePath(), results.toAbsolutePath());
    }
}
