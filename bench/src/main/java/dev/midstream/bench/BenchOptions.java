package dev.midstream.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The bench's command line.
 *
 * @param records messy events pre-loaded into the raw topic
 * @param latency how long each latency probe feeds events at half the contender's measured rate
 * @param quick only Midstream at parallelism 2 on RocksDB, the tuned SQL job and the ceiling (for a look, not a report)
 * @param dataDir Kafka, PostgreSQL and checkpoints (deleted at the start)
 * @param results where the Markdown table, the CSV and the chart go
 */
record BenchOptions(long records, Duration latency, boolean quick, boolean remote, Path dataDir, Path results) {
    static final String USAGE = """
            Usage: bench/run.sh [--records N] [--latency-seconds S] [--quick] [--remote] [--data-dir DIR] [--results DIR]
              --records N          messy events pre-loaded into the raw topic (default 2000000)
              --latency-seconds S  each latency probe's feeding time (default 15)
              --quick              fewer contenders, for a first look
              --remote             instead: one step in-process vs remote at batch sizes 1, 50 and 200
                                   (default 200000 events; results in remote-latest.*)
              --data-dir DIR       Kafka, PostgreSQL and checkpoints, wiped first (default target/bench-data)
              --results DIR        Markdown, CSV and PNG results (default bench/results)
            """;

    static BenchOptions parse(String[] args) {
        Long records = null;
        long latency = 15;
        boolean quick = false;
        boolean remote = false;
        Path dataDir = Path.of("target", "bench-data");
        Path results = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--quick")) {
                quick = true;
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
        if (records < 1000 || latency < 5) {
            throw new IllegalArgumentException("--records must be at least 1000 and --latency-seconds at least 5");
        }
        return new BenchOptions(records, Duration.ofSeconds(latency), quick, remote, dataDir.toAbsolutePath(),
                results.toAbsolutePath());
    }
}
