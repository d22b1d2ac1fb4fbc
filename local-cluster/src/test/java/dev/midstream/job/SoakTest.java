package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.testkit.EmbeddedKafkaBroker;
import dev.midstream.testkit.EmbeddedPostgresServer;
import dev.midstream.testkit.FlinkRestMetrics;
import dev.midstream.testkit.FreePort;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.orders.CanonicalOrder;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;
import dev.midstream.testkit.orders.Outcome;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The soak ({@code -Psoak}, not in {@code ./mvnw verify}): the orders pipeline on a real cluster for an hour at a
 * fixed rate, the TaskManager killed with {@code kill -9} every ten minutes, a sample every minute (throughput,
 * end-to-end latency, checkpoint duration and size, RocksDB state, heap, file descriptors) written to
 * {@code bench/results/soak.{md,csv,png}}. The dedup TTL is shortened (10 min) so an hour shows the state level off:
 * the last quarter of the run may hold no more state, heap or descriptors than the second quarter (with a margin),
 * and the final table must equal the generator's, row for row, with every dead letter and every record accounted
 * for in the quality history. {@code -Dsoak.minutes}, {@code -Dsoak.rate}, {@code -Dsoak.kill-every-minutes},
 * {@code -Dsoak.dedup-ttl-minutes} change the run.
 */
@Tag("soak")
class SoakTest {
    private static final Duration LENGTH = Duration.ofMinutes(Long.getLong("soak.minutes", 60));
    private static final Duration KILL_EVERY = Duration.ofMinutes(Long.getLong("soak.kill-every-minutes", 10));
    private static final int RATE = Integer.getInteger("soak.rate", 1_000);
    private static final long TTL_MINUTES = Long.getLong("soak.dedup-ttl-minutes", 10);
    private static final Path RESULTS = Path.of(System.getProperty("soak.results", "../bench/results"));
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Duration SAMPLE_EVERY = Duration.ofMinutes(1);

    @Test
    void anHourAtAFixedRateWithTaskManagerKillsStaysBoundedAndEndsExact(@TempDir Path dir) throws Exception {
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dir.resolve("kafka"), FreePort.pick()).start();
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(dir.resolve("postgres"), FreePort.pick()).start();
        String topic = "ods.orders.soak";
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".dead-letters", 1);
        postgres.createDatabase("soak");
        String jdbcUrl = postgres.jdbcUrl("soak");
        String bootstrap = kafka.bootstrapServers();
        Path config = dir.resolve("orders.properties");
        OrdersScenario.writeUnboundedConfig(config, bootstrap, topic, jdbcUrl);
        Path pipeline = PipelineFiles.copy(PipelineFiles.ORDERS, dir, PipelineFiles.withoutCleanTopic("orders", Map.of(
                "[ods.orders]", "[" + topic + "]", "ods.orders.dead-letters", topic + ".dead-letters",
                "ttl: 24h", "ttl: " + TTL_MINUTES + "min")));
        Map<String, String> env = new HashMap<>(OrdersScenario.env());
        env.put("MIDSTREAM_FLINK_CONF", String.join("\n", "heartbeat.interval: 1 s", "heartbeat.timeout: 8 s",
                "restart-strategy.type: fixed-delay", "restart-strategy.fixed-delay.attempts: 100",
                "restart-strategy.fixed-delay.delay: 2 s", "state.backend.rocksdb.metrics.estimate-live-data-size: true"));

        List<SoakSample> samples = new ArrayList<>();
        List<Double> killMinutes = new ArrayList<>();
        List<String> recoveries = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), env)) {
            cluster.start();
            String job = LocalCluster.jobIdOf(cluster.flink("run", "-d", "-c", PipelinesJob.class.getName(),
                    LocalCluster.JOB_JAR.toString(), "--config", config.toString(), "--pipeline", pipeline.toString()));
            FlinkRestMetrics rest = new FlinkRestMetrics(cluster.restUrl(), job);
            recordLandings(jdbcUrl);
            Feeder feeder = new Feeder(bootstrap, topic, RATE, LENGTH);
            feeder.start();
            long start = System.currentTimeMillis();
            long windowStart = start;
            long windowSent = 0;
            long nextKill = start + KILL_EVERY.toMillis();
            double heapFloor = Double.NaN;
            while (feeder.isAlive()) {
                Thread.sleep(Math.max(0, TICK.toMillis() - (System.currentTimeMillis() - start) % TICK.toMillis()));
                long now = System.currentTimeMillis();
                if (now >= nextKill && now < start + LENGTH.toMillis() - 30_000) {
                    killMinutes.add((now - start) / 60_000.0);
                    long landedBefore = count(jdbcUrl, "landed");
                    cluster.killTaskManager();
                    cluster.startTaskManager();
                    recoveries.add(String.format(Locale.ROOT, "%.1f min: rows landing again after %.1f s",
                            (now - start) / 60_000.0, awaitLanding(jdbcUrl, landedBefore, cluster) / 1000.0));
                    nextKill += KILL_EVERY.toMillis();
                    continue;
                }
                heapFloor = minimum(heapFloor, heapUsedMb(rest));
                if (now - windowStart >= SAMPLE_EVERY.toMillis() - TICK.toMillis() / 2) {
                    long sent = feeder.sent.get();
                    samples.add(sample(rest, jdbcUrl, cluster, feeder, windowStart, now, start,
                            sent - windowSent, heapFloor, killMinutes.size()));
                    System.out.println("soak " + samples.get(samples.size() - 1).csv());
                    windowStart = now;
                    windowSent = sent;
                    heapFloor = Double.NaN;
                }
            }
            feeder.join();
            assertEquals(0, feeder.failed.get(), "every event was sent: " + feeder.firstFailure.get());

            Map<String, String> expectedTable = new HashMap<>();
            for (CanonicalOrder order : feeder.generator.winners().values()) {
                expectedTable.put(order.orderId(), OrdersScenario.expectedRow(order));
            }
            long drainStart = System.currentTimeMillis();
            awaitSettled(jdbcUrl, expectedTable.size(), feeder.deadLetters.size(), Duration.ofMinutes(10));
            long drainMillis = System.currentTimeMillis() - drainStart;
            Map<String, Long> history = QualityHistoryTotals.awaitAccounted(jdbcUrl, "orders", feeder.sent.get(),
                    Duration.ofMinutes(2));
            cluster.flink("cancel", job);

            try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                MapAssert.assertSameEntries("orders table after the soak", expectedTable, OrdersScenario.actualTable(c));
                MapAssert.assertSameEntries("dead_letters after the soak", new HashMap<>(feeder.deadLetters),
                        OrdersScenario.actualDeadLetters(c));
            }
            String summary = summary(feeder, expectedTable.size(), history, killMinutes, recoveries, drainMillis,
                    samples);
            System.out.println(summary);
            write(summary, samples, killMinutes);
            assertBounded(samples);
        } finally {
            kafka.close();
            postgres.close();
        }
    }

    /** Produces messy orders at a fixed rate for a while, noting each order's first send and each dead letter's position. */
    private static final class Feeder extends Thread {
        final MessyOrderGenerator generator = new MessyOrderGenerator(2026, "S", OrdersScenario.LOCAL_ZONE,
                OrdersScenario.MAX_RECORD_BYTES + 1000);
        final Map<String, Long> firstSent = new ConcurrentHashMap<>();
        final Map<String, String> deadLetters = new ConcurrentHashMap<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<Exception> firstFailure = new AtomicReference<>();
        private final String bootstrap;
        private final String topic;
        private final int rate;
        private final Duration length;

        Feeder(String bootstrap, String topic, int rate, Duration length) {
            super("soak-feeder");
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.rate = rate;
            this.length = length;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long total = rate * length.toSeconds();
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap)) {
                Iterator<GeneratedEvent> events = Collections.emptyIterator();
                // Ends with a whole round: the generator's winners include every order of each round it made.
                for (long n = 0; n < total || events.hasNext(); n++) {
                    if (!events.hasNext()) {
                        events = generator.next(500).iterator();
                    }
                    GeneratedEvent e = events.next();
                    long wait = start + (long) (n * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (e.order() != null) {
                        firstSent.putIfAbsent(e.order().orderId(), System.currentTimeMillis());
                    }
                    producer.send(new ProducerRecord<>(topic, null, e.key(), e.value(), e.headers()), (m, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, error);
                        } else if (e.outcome() == Outcome.REJECTED) {
                            deadLetters.put(m.partition() + "@" + m.offset(), e.stage() + "/" + e.rule());
                        }
                    });
                    sent.incrementAndGet();
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private SoakSample sample(FlinkRestMetrics rest, String jdbcUrl, LocalCluster cluster, Feeder feeder, long from,
            long to, long start, long sentInWindow, double heapFloor, int kills)
            throws Exception {
        double seconds = (to - from) / 1000.0;
        List<Long> latencies = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement s = c.prepareStatement(
                "SELECT order_id, (extract(epoch from at) * 1000)::bigint FROM landed"
                        + " WHERE at >= to_timestamp(? / 1000.0) AND at < to_timestamp(? / 1000.0)")) {
            s.setLong(1, from);
            s.setLong(2, to);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Long sentAt = feeder.firstSent.get(rs.getString(1));
                    if (sentAt != null) {
                        latencies.add(Math.max(0, rs.getLong(2) - sentAt));
                    }
                }
            }
        }
        Collections.sort(latencies);
        JsonNode checkpoint = rest.get("/jobs/" + rest.jobId() + "/checkpoints").path("latest").path("completed");
        return new SoakSample((to - start) / 60_000.0, sentInWindow / seconds, latencies.size() / seconds,
                feeder.sent.get() - historyRead(jdbcUrl), percentile(latencies, 0.50), percentile(latencies, 0.99),
                checkpoint.path("end_to_end_duration").asDouble(Double.NaN),
                checkpoint.path("checkpointed_size").asDouble(Double.NaN), checkpoint.path("state_size").asDouble(Double.NaN),
                rocksDbLiveBytes(rest), heapFloor, openFiles(cluster.home.resolve("taskmanager.pid")),
                openFiles(cluster.home.resolve("jobmanager.pid")), kills);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static double minimum(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    /** Records the job has read, as far as its checkpoints have completed (the quality history is written then). */
    private static long historyRead(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(records), 0) FROM dq_counts WHERE pipeline = 'orders'"
                     + " AND measure = 'read'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static double heapUsedMb(FlinkRestMetrics rest) {
        try {
            for (JsonNode tm : rest.get("/taskmanagers").path("taskmanagers")) {
                JsonNode metric = rest.get("/taskmanagers/" + tm.path("id").asText()
                        + "/metrics?get=Status.JVM.Memory.Heap.Used");
                if (metric.size() > 0) {
                    return metric.get(0).path("value").asDouble() / (1024 * 1024);
                }
            }
        } catch (Exception notNow) {
            // a TaskManager just restarted: no sample this tick
        }
        return Double.NaN;
    }

    /** RocksDB's estimate of live data, summed over every subtask of every vertex that reports it. */
    private static double rocksDbLiveBytes(FlinkRestMetrics rest) throws Exception {
        double sum = 0;
        for (JsonNode vertex : rest.get("/jobs/" + rest.jobId()).path("vertices")) {
            String path = "/jobs/" + rest.jobId() + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode metric : rest.get(path)) {
                if (metric.path("id").asText().endsWith("estimate-live-data-size")) {
                    ids.add(metric.path("id").asText());
                }
            }
            if (!ids.isEmpty()) {
                for (JsonNode metric : rest.get(path + "?agg=sum&get="
                        + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8))) {
                    sum += metric.path("sum").asDouble();
                }
            }
        }
        return sum;
    }

    private static int openFiles(Path pidFile) {
        try (var fds = Files.list(Path.of("/proc", Files.readString(pidFile).strip(), "fd"))) {
            return (int) fds.count();
        } catch (Exception gone) {
            return -1;
        }
    }

    private static void recordLandings(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE landed (order_id text PRIMARY KEY, at timestamptz NOT NULL)");
            s.execute("CREATE FUNCTION note_landed() RETURNS trigger AS $$ BEGIN"
                    + " INSERT INTO landed VALUES (NEW.order_id, clock_timestamp()) ON CONFLICT DO NOTHING;"
                    + " RETURN NEW; END $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER orders_landed AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION note_landed()");
        }
    }

    private static long count(String jdbcUrl, String table) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Milliseconds until new orders land again after a kill. */
    private static long awaitLanding(String jdbcUrl, long before, LocalCluster cluster) throws InterruptedException {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < 180_000) {
            if (count(jdbcUrl, "landed") > before) {
                return System.currentTimeMillis() - start;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no order landed within 3 minutes of the TaskManager kill" + cluster.logTails());
    }

    private static void awaitSettled(String jdbcUrl, int orders, int letters, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(jdbcUrl, "orders") >= orders && count(jdbcUrl, "dead_letters") >= letters) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the job did not catch up within " + timeout + ": " + count(jdbcUrl, "orders") + " of "
                + orders + " orders, " + count(jdbcUrl, "dead_letters") + " of " + letters + " dead letters");
    }

    /**
     * Nothing grows without bound: once the dedup TTL has passed twice, the last quarter of the run holds no more
     * than the second quarter, with a margin for RocksDB's compaction rhythm and the collector's.
     */
    private static void assertBounded(List<SoakSample> samples) {
        double minutes = LENGTH.toMinutes();
        if (minutes < 4 * TTL_MINUTES || minutes < 20) {
            System.out.println("soak: " + minutes + " min is too short to judge growth against a " + TTL_MINUTES
                    + " min TTL; run at least " + Math.max(20, 4 * TTL_MINUTES) + " min");
            return;
        }
        List<SoakSample> second = samples.stream().filter(s -> s.minute() > minutes / 4 && s.minute() <= minutes / 2)
                .toList();
        List<SoakSample> last = samples.stream().filter(s -> s.minute() > 3 * minutes / 4).toList();
        assertGrowth("RocksDB live data", second, last, SoakSample::rocksDbLiveBytes, 1.5, 0);
        assertGrowth("checkpointed state", second, last, SoakSample::stateBytes, 1.5, 0);
        assertGrowth("TaskManager heap floor", second, last, SoakSample::heapFloorMb, 1.5, 50);
        assertGrowth("TaskManager file descriptors", second, last, SoakSample::taskManagerFds, 1.0, 100);
        assertGrowth("JobManager file descriptors", second, last, SoakSample::jobManagerFds, 1.0, 100);
    }

    private static void assertGrowth(String what, List<SoakSample> second, List<SoakSample> last,
            ToDoubleFunction<SoakSample> value, double factor, double slack) {
        double before = second.stream().mapToDouble(value).filter(v -> v >= 0 && Double.isFinite(v)).average().orElse(0);
        double after = last.stream().mapToDouble(value).filter(v -> v >= 0 && Double.isFinite(v)).average().orElse(0);
        assertTrue(after <= before * factor + slack, String.format(Locale.ROOT,
                "%s grew: %.1f on average in the last quarter, %.1f in the second", what, after, before));
    }

    private static String summary(Feeder feeder, int orders, Map<String, Long> history, List<Double> kills,
            List<String> recoveries, long drainMillis, List<SoakSample> samples) {
        List<Long> p99 = samples.stream().map(SoakSample::latencyP99Ms).filter(v -> v >= 0).sorted().toList();
        List<Long> calmP99 = samples.stream().filter(s -> kills.stream().noneMatch(k -> s.minute() > k
                && s.minute() <= k + 1.01)).map(SoakSample::latencyP99Ms).filter(v -> v >= 0).sorted().toList();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d min at %,d events/s (2 partitions, p=2, RocksDB, dedup TTL %d min),"
                        + " TaskManager kill -9 every %d min; this machine (2 cores), one run.%n%n",
                LENGTH.toMinutes(), RATE, TTL_MINUTES, KILL_EVERY.toMinutes()));
        s.append(String.format(Locale.ROOT, "- events sent %,d; orders %,d, all compared: **0 mismatches**; dead letters"
                + " %,d, **0 missing**; caught up %.1f s after the feed stopped%n", feeder.sent.get(), orders,
                feeder.deadLetters.size(), drainMillis / 1000.0));
        s.append(String.format(Locale.ROOT, "- quality history over every attempt: read %,d = written %,d + rejected %,d"
                        + " + deduplicated %,d%n", history.get("read"), history.getOrDefault("written", 0L),
                history.getOrDefault("rejected", 0L), history.getOrDefault("deduplicated", 0L)));
        s.append("- TaskManager kills: ").append(String.join("; ", recoveries)).append('\n');
        if (!p99.isEmpty()) {
            s.append(String.format(Locale.ROOT, "- latency p99 per minute: median %,d ms, worst %,d ms (the minute of a"
                            + " kill); minutes without a kill: worst %,d ms%n", p99.get(p99.size() / 2),
                    p99.get(p99.size() - 1), calmP99.isEmpty() ? -1 : calmP99.get(calmP99.size() - 1)));
        }
        s.append(String.format(Locale.ROOT, "- RocksDB live data: %s MB; checkpointed state: %s MB; heap floor: %s MB;"
                        + " TaskManager fds: %s (first, middle, last sample)%n",
                triple(samples, v -> v.rocksDbLiveBytes() / 1e6), triple(samples, v -> v.stateBytes() / 1e6),
                triple(samples, SoakSample::heapFloorMb), triple(samples, SoakSample::taskManagerFds)));
        return s.toString();
    }

    private static String triple(List<SoakSample> samples, ToDoubleFunction<SoakSample> value) {
        if (samples.isEmpty()) {
            return "–";
        }
        return List.of(samples.get(0), samples.get(samples.size() / 2), samples.get(samples.size() - 1)).stream()
                .map(v -> String.format(Locale.ROOT, "%.1f", value.applyAsDouble(v))).collect(Collectors.joining(" / "));
    }

    private static void write(String summary, List<SoakSample> samples, List<Double> kills) throws Exception {
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("soak.csv"), SoakSample.CSV_HEADER + "\n"
                + samples.stream().map(SoakSample::csv).collect(Collectors.joining("\n")) + "\n");
        Files.writeString(RESULTS.resolve("soak.md"), "# Soak: pipelines/orders.yaml on a real cluster\n\n" + summary
                + "\n![soak](soak.png)\n\n" + SoakSample.MARKDOWN_HEADER + "\n"
                + samples.stream().map(SoakSample::markdown).collect(Collectors.joining("\n")) + "\n");
        SoakChart.write(String.format(Locale.ROOT, "Soak: %d min at %,d events/s, TaskManager kill -9 every %d min",
                        LENGTH.toMinutes(), RATE, KILL_EVERY.toMinutes()), samples, kills, List.of(
                new SoakChart.Panel("Throughput", "per second", List.of(
                        new SoakChart.Series("events sent", new Color(0x1F77B4), SoakSample::sentPerSecond),
                        new SoakChart.Series("orders landed", new Color(0x2CA02C), SoakSample::landedPerSecond))),
                new SoakChart.Panel("End-to-end latency", "ms", List.of(
                        new SoakChart.Series("p99", new Color(0xD62728), s -> s.latencyP99Ms()),
                        new SoakChart.Series("p50", new Color(0x1F77B4), s -> s.latencyP50Ms()))),
                new SoakChart.Panel("Checkpoint duration", "ms", List.of(
                        new SoakChart.Series("end to end", new Color(0x9467BD), SoakSample::checkpointMs))),
                new SoakChart.Panel("State", "MB", List.of(
                        new SoakChart.Series("RocksDB live data", new Color(0x8C564B), s -> s.rocksDbLiveBytes() / 1e6),
                        new SoakChart.Series("checkpointed state", new Color(0xFF7F0E), s -> s.stateBytes() / 1e6))),
                new SoakChart.Panel("TaskManager heap after collections", "MB", List.of(
                        new SoakChart.Series("heap floor", new Color(0x17BECF), SoakSample::heapFloorMb))),
                new SoakChart.Panel("Open file descriptors", "count", List.of(
                        new SoakChart.Series("TaskManager", new Color(0x1F77B4), SoakSample::taskManagerFds),
                        new SoakChart.Series("JobManager", new Color(0x7F7F7F), SoakSample::jobManagerFds)))),
                RESULTS.resolve("soak.png"));
    }
}
