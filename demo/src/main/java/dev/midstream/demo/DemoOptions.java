package dev.midstream.demo;

import java.nio.file.Path;

/**
 * The demo's command line.
 *
 * @param records stop after producing this many events (0: run until Ctrl-C)
 * @param pipeline the orders pipeline file the demo's job runs
 * @param customers the customers pipeline file
 * @param transform the transform file of the second layer, joining and aggregating the two
 * @param rate events produced per second
 * @param dataDir where Kafka, PostgreSQL, checkpoints and the salt live; a re-run resumes from it
 * @param uiPort the Flink web UI and REST port
 * @param kafkaPort the broker's port on 127.0.0.1
 * @param postgresPort PostgreSQL's port on 127.0.0.1
 */
record DemoOptions(long records, int rate, Path dataDir, int uiPort, int kafkaPort, int postgresPort, Path pipeline,
        Path customers, Path transform) {
    static final String USAGE = """
            Usage: deploy/local/demo.sh [--records N] [--rate R] [--data-dir DIR] [--ui-port P] [--kafka-port P] [--postgres-port P]
                                    [--pipeline FILE] [--customers FILE] [--transform FILE]
              --records N        stop after N events, print a summary and sample rows (default: run until Ctrl-C)
              --rate R           events per second produced (default 2000)
              --data-dir DIR     state of Kafka, PostgreSQL and Flink checkpoints; a re-run resumes (default .midstream)
              --ui-port P        Flink web UI (default 8081)
              --kafka-port P     Kafka on 127.0.0.1 (default 19092)
              --postgres-port P  PostgreSQL on 127.0.0.1 (default 15432)
              --pipeline FILE    the orders pipeline file the job runs (default pipelines/orders.yaml)
              --customers FILE   the customers pipeline file (default pipelines/customers.yaml)
              --transform FILE   the second layer: enrichment and windows (default pipelines/sales.yaml)
            """;

    static DemoOptions parse(String[] args) {
        long records = 0;
        int rate = 2000;
        Path dataDir = Path.of(".midstream");
        int uiPort = 8081;
        int kafkaPort = 19092;
        int postgresPort = 15432;
        Path pipeline = Path.of("pipelines", "orders.yaml");
        Path customers = Path.of("pipelines", "customers.yaml");
        Path transform = Path.of("pipelines", "sales.yaml");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
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
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--ui-port" -> uiPort = Integer.parseInt(value);
                    case "--kafka-port" -> kafkaPort = Integer.parseInt(value);
                    case "--postgres-port" -> postgresPort = Integer.parseInt(value);
                    case "--pipeline" -> pipeline = Path.of(value);
                    case "--customers" -> customers = Path.of(value);
                    case "--transform" -> transform = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " expects a whole number, got '" + value + "'");
            }
        }
        if (rate <= 0 || records < 0) {
            throw new IllegalArgumentException("--rate must be positive and --records 0 or more");
        }
        return new DemoOptions(records, rate, dataDir.toAbsolutePath(), uiPort, kafkaPort, postgresPort, pipeline,
                customers, transform);
    }
}
