package dev.midstream.demo;

import dev.midstream.engine.JobGraphBuilder;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.engine.TableSetup;
import dev.midstream.model.JobSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.EmbeddedKafkaBroker;
import dev.midstream.testkit.EmbeddedPostgresServer;
import dev.midstream.testkit.FlinkRestMetrics;
import dev.midstream.testkit.orders.MessyOrderGenerator;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local demo: starts PostgreSQL and Kafka (data under one directory), a local Flink with its web UI,
 * submits the cleanse job and feeds it messy orders, printing a progress line every few seconds.
 * {@code --records N} stops after N events with a summary; Ctrl-C shuts everything down. A re-run resumes
 * from the retained checkpoint, the committed offsets and the tables.
 */
public final class Demo {
    private static final String TOPIC = "ods.orders";
    private static final String DATABASE = "midstream";
    private static final ZoneId SHOP_ZONE = ZoneId.of("Asia/Shanghai");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** How far ahead of the clock the clean topics accept event times as Kafka timestamps. */
    private static final Duration CLEAN_TOPIC_AHEAD = Duration.ofDays(3650);

    private Demo() {}

    public static void main(String[] args) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("demo: " + e.getMessage());
            }
            System.err.print(DemoOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        try {
            new DemoRun(options).run();
        } catch (DemoException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(1);
        }
    }

    /** A reason the demo cannot run that the user can fix; printed without a stack trace. */
    static final class DemoException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoException(String message) {
            super(message);
        }
    }

    /** One demo session; {@link #run()} returns the last progress line. */
    static final class DemoRun {
        private final DemoOptions options;
        private EmbeddedPostgresServer postgres;
        private EmbeddedKafkaBroker kafka;
        private JobClient job;
        private OrderEventProducer producer;
        private volatile boolean shuttingDown;
        private boolean resumed;
        private LayerProgress.Line sales;

        DemoRun(DemoOptions options) {
            this.options = options;
        }

        Progress.Line run() throws Exception {
            Path dir = options.dataDir();
            Files.createDirectories(dir);
            Thread shutdown = new Thread(this::shutdown, "demo-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdown);

            say("Midstream demo — data in " + dir);
            long t0 = System.nanoTime();
            EmbeddedPostgresServer database = new EmbeddedPostgresServer(dir.resolve("postgres"), options.postgresPort());
            try {
                postgres = database.start();
            } catch (IllegalStateException e) {
                if (String.valueOf(e.getMessage()).contains("could not lock")) {
                    throw new DemoException("another demo is already using " + dir
                            + "; stop it, or pass --data-dir with another directory (and other ports)");
                }
                throw e;
            }
            postgres.createDatabase(DATABASE);
            say("PostgreSQL 17 on 127.0.0.1:" + options.postgresPort() + " (database " + DATABASE + ") in " + ms(t0) + " ms");

            Path salt = saltFile(dir);
            // The pipeline files reference the salt as ${env:MIDSTREAM_PII_SALT}; the demo's own salt stands in.
            String saltText = Files.readString(salt, StandardCharsets.UTF_8).strip();
            JobSpec jobSpec = JobFiles.read(List.of(options.pipeline(), options.customers()), List.of(options.transform()),
                    name -> name.equals("MIDSTREAM_PII_SALT") ? saltText : System.getenv(name));
            List<PipelineSpec> pipelines = jobSpec.pipelines();
            List<LayerSpec> transforms = jobSpec.layers();
            PipelineSpec orders = pipelines.get(0);
            if (transforms.get(0).wideTable() == null || transforms.get(0).enrich() == null
                    || transforms.get(0).aggregates().isEmpty()) {
                throw new DemoException(options.transform() + ": the demo shows a transform with 'enrich',"
                        + " 'wide_table' and 'windows'");
            }
            String customersTopic = pipelines.get(1).source().topics().get(0);

            long t1 = System.nanoTime();
            kafka = new EmbeddedKafkaBroker(dir.resolve("kafka"), options.kafkaPort()).start();
            List<String> topics = topics(pipelines);
            for (String topic : topics) {
                // Two partitions where the job reads with parallelism 2 (a reader without a partition holds the
                // watermark back until the source's idleness timeout).
                boolean clean = pipelines.stream().anyMatch(p -> topic.equals(p.sink().topic()));
                // The generator's event times run ahead of the clock (7 s apart at thousands per second); a clean
                // topic's Kafka timestamps are those event times, so it accepts them as far ahead as the job allows.
                kafka.createTopic(topic, topic.equals(TOPIC) || clean ? 2 : 1, clean
                        ? Map.of("message.timestamp.after.max.ms", Long.toString(CLEAN_TOPIC_AHEAD.toMillis())) : Map.of());
            }
            say("Kafka on " + kafka.bootstrapServers() + " (topics " + String.join(", ", topics) + ") in " + ms(t1) + " ms");

            String jdbcUrl = postgres.jdbcUrl(DATABASE);
            seedCurrencyRates(jdbcUrl);
            Map<String, String> jobOptions = new HashMap<>();
            jobOptions.put("midstream.kafka.bootstrap-servers", kafka.bootstrapServers());
            jobOptions.put("midstream.validation.local-time-zone", SHOP_ZONE.getId());
            jobOptions.put("midstream.jdbc.url", jdbcUrl);
            jobOptions.put("midstream.sink.topic-max-timestamp-ahead", CLEAN_TOPIC_AHEAD.toDays() + " d");
            JobOptions config = JobOptions.load(ConfigSource.of(jobOptions, "demo"));
            TableSetup.createTables(config, jobSpec);

            Optional<Path> resumeFrom = latestCheckpoint(dir.resolve("checkpoints"));
            resumed = resumeFrom.isPresent();
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConfiguration(dir, resumeFrom));
            // One Flink job holds both layers; they still meet only through the exactly-once clean topics.
            JobGraphBuilder.of(config).build(env, jobSpec, KafkaJdbcConnectors.of(config));
            job = env.executeAsync(jobSpec.name());
            String ui = "http://localhost:" + options.uiPort();
            say("Flink web UI: " + ui + "/#/job/running/" + job.getJobID() + "/overview"
                    + resumeFrom.map(p -> " (resumed from " + dir.relativize(p) + ")").orElse(""));

            MessyOrderGenerator generator = new MessyOrderGenerator(System.currentTimeMillis(),
                    "R" + System.currentTimeMillis() % 1_000_000_000L, SHOP_ZONE, 300_000,
                    firstEventTime(jdbcUrl, orders.sink().table()));
            producer = new OrderEventProducer(kafka.bootstrapServers(), TOPIC, customersTopic, generator, options.rate(),
                    options.records());
            Thread producing = new Thread(producer, "demo-producer");
            producing.setDaemon(true);
            producing.start();
            say("Producing messy orders to " + TOPIC + " at " + options.rate() + "/s"
                    + (options.records() > 0 ? ", " + options.records() + " in all" : "; Ctrl-C to stop")
                    + ", and each new customer's profile to " + customersTopic);

            FlinkRestMetrics metrics = new FlinkRestMetrics(ui, job.getJobID().toString());
            Progress progress = new Progress(metrics, jdbcUrl, orders.name());
            LayerProgress layer = new LayerProgress(jdbcUrl, pipelines.get(1).sink().table(), transforms.get(0));
            Progress.Line line = null;
            while (!shuttingDown) {
                Thread.sleep(PROGRESS_EVERY.toMillis());
                try {
                    line = progress.sample(producer::sent);
                } catch (Exception e) {
                    if (shuttingDown) {
                        break; // the shutdown hook stopped the services under the sampler
                    }
                    throw e;
                }
                say(line.toString());
                sales = layer.sample();
                say(sales.toString());
                if (options.records() > 0 && !producing.isAlive() && line.settled(producer.sent())) {
                    say("Waiting for the sales layer to settle: facts still waiting for their customer are released"
                            + " once its watermark moves on, " + transforms.get(0).idleness().toSeconds()
                            + " s after the last record (watermarks.idleness)");
                    sales = layer.settle();
                    say(sales.toString());
                    summary(jdbcUrl, line, transforms.get(0));
                    report(jdbcUrl, jobSpec, config.tables().qualityTable(), config.deadLetters().payload());
                    break;
                }
            }
            Runtime.getRuntime().removeShutdownHook(shutdown);
            shutdown();
            return line;
        }

        boolean resumed() {
            return resumed;
        }

        /** The second layer's last progress sample. */
        LayerProgress.Line sales() {
            return sales;
        }

        private Configuration flinkConfiguration(Path dir, Optional<Path> resumeFrom) {
            Configuration conf = new Configuration();
            conf.set(RestOptions.PORT, options.uiPort());
            // The REST API caches task metrics for 10 s by default; progress lines come every 5 s.
            conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
            conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(3));
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.resolve("savepoints").toUri().toString());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
            resumeFrom.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toString()));
            // A data directory from a demo of the hand-built orders job has its batching step's state, which the
            // pipeline job has no operator for; everything else (source offsets, dedup) restores.
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
            return conf;
        }

        /** The data-quality report of the run, as {@code midstream report} writes it. */
        private void report(String jdbcUrl, JobSpec job, String history, dev.midstream.deadletter.PayloadPolicy payloads)
                throws Exception {
            if (history == null) {
                return;
            }
            dev.midstream.report.QualityReport report;
            try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                report = new dev.midstream.report.ReportReader(c, dev.midstream.model.Database.ofJdbcUrl(jdbcUrl), history,
                        payloads).read(job.pipelines(), job.layers(), java.time.Instant.now(), java.time.Duration.ofHours(1),
                                java.time.Duration.ofMinutes(1));
            }
            Path html = options.dataDir().toAbsolutePath().resolve("report.html");
            java.nio.file.Files.writeString(html, dev.midstream.report.ReportWriter.html(report));
            java.nio.file.Files.writeString(html.resolveSibling("report.json"), dev.midstream.report.ReportWriter.json(report));
            say("Data-quality report (" + report.status().name().toLowerCase(java.util.Locale.ROOT) + "): " + html.toUri());
        }

        private void summary(String jdbcUrl, Progress.Line last, LayerSpec transform) throws Exception {
            say("");
            say("Done: " + last.summary());
            if (last.read() > last.produced()) {
                say("(read exceeds produced by " + (last.read() - last.produced()) + ": records the previous run had read after"
                        + " its last checkpoint were read again on resume; the upserts make that harmless)");
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
                say("Sample rows (SELECT ... FROM orders ORDER BY updated_at DESC LIMIT 5):");
                try (ResultSet rs = s.executeQuery("SELECT order_id, status, amount, currency, event_time,"
                        + " left(customer_email_hash, 12) || '…' AS email_hash, customer_phone_masked"
                        + " FROM orders ORDER BY updated_at DESC, order_id LIMIT 5")) {
                    while (rs.next()) {
                        say(String.format("  %-22s %-10s %14s %s  %s  %s  %s", rs.getString(1), rs.getString(2),
                                rs.getBigDecimal(3).toPlainString(), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getString(7)));
                    }
                }
                say("Dead letters by stage and rule (SELECT stage, rule, count(*) FROM dead_letters GROUP BY 1, 2):");
                try (ResultSet rs = s.executeQuery("SELECT stage, rule, count(*) FROM dead_letters"
                        + " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2")) {
                    while (rs.next()) {
                        say(String.format("  %-10s %-26s %7d", rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
                String table = transform.aggregates().get(0).table().table();
                say("Revenue per currency and minute (SELECT currency, window_start, records, sum_amount,"
                        + " distinct_customer_id FROM " + table + " ORDER BY window_start DESC, currency LIMIT 5):");
                try (ResultSet rs = s.executeQuery("SELECT currency, window_start, records, sum_amount, distinct_customer_id"
                        + " FROM " + table + " ORDER BY window_start DESC, currency LIMIT 5")) {
                    while (rs.next()) {
                        say(String.format("  %s  %s  %6d  %18s  %6d", rs.getString(1), rs.getString(2), rs.getLong(3),
                                rs.getBigDecimal(4).toPlainString(), rs.getLong(5)));
                    }
                }
            }
            say("Explore: psql '" + jdbcUrl.replace("jdbc:", "") + "'  (tables orders, dead_letters, customers,"
                    + " orders_enriched, revenue_per_minute, revenue_per_hour, sales_dead_letters)");
        }

        private synchronized void shutdown() {
            if (shuttingDown) {
                return;
            }
            shuttingDown = true;
            if (postgres == null) {
                return; // nothing was started
            }
            say("Shutting down…");
            if (producer != null) {
                producer.stop();
            }
            if (job != null) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                    say("Job cancelled; its last checkpoint is kept for the next run");
                } catch (Exception e) {
                    say("Job cancel: " + e.getMessage());
                }
            }
            closeQuietly(kafka);
            closeQuietly(postgres);
            say("Stopped" + (kafka != null ? " Kafka and" : "") + " PostgreSQL; data kept in " + options.dataDir());
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("demo: while stopping: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Now, or a minute after the newest order of an earlier run if that is later (the generator's event times run
     * ahead of the clock): a re-run's events must not be late for the windows the last run left open.
     */
    private static java.time.Instant firstEventTime(String jdbcUrl, String ordersTable) throws java.sql.SQLException {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(event_time) FROM " + ordersTable)) {
            java.sql.Timestamp newest = rs.next() ? rs.getTimestamp(1) : null;
            return newest == null || newest.toInstant().isBefore(now) ? now
                    : newest.toInstant().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
    }

    /** Every topic the pipelines read or write, in order of first mention. */
    private static List<String> topics(List<PipelineSpec> pipelines) {
        java.util.LinkedHashSet<String> topics = new java.util.LinkedHashSet<>();
        for (PipelineSpec p : pipelines) {
            topics.addAll(p.source().topics());
            if (p.deadLetters().topic() != null) {
                topics.add(p.deadLetters().topic());
            }
            if (p.sink().topic() != null) {
                topics.add(p.sink().topic());
            }
        }
        return List.copyOf(topics);
    }

    /** The reference table the sales layer looks exchange rates up in (every currency but KWD). */
    private static void seedCurrencyRates(String jdbcUrl) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS currency_rates (currency text PRIMARY KEY,"
                    + " rate_to_eur numeric(18,8) NOT NULL)");
            s.execute("INSERT INTO currency_rates VALUES ('EUR', 1), ('USD', 0.92), ('GBP', 1.17), ('CHF', 1.04),"
                    + " ('CNY', 0.13), ('JPY', 0.0061), ('KRW', 0.00068) ON CONFLICT (currency) DO NOTHING");
        }
    }

    /** The salt for hashing emails: random, created once, readable only by its owner, never printed. */
    private static Path saltFile(Path dir) throws IOException {
        Path file = dir.resolve("pii-salt");
        if (!Files.exists(file)) {
            byte[] salt = new byte[32];
            new SecureRandom().nextBytes(salt);
            Files.writeString(file, HexFormat.of().formatHex(salt), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    /** The newest completed checkpoint of an earlier run ({@code <job>/chk-N} with {@code _metadata}). */
    static Optional<Path> latestCheckpoint(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(checkpoints, 3,
                (p, a) -> p.getFileName().toString().equals("_metadata") && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.map(Path::getParent)
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()));
        }
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
