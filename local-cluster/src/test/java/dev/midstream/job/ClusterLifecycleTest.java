package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.testkit.FlinkRestMetrics;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.testkit.orders.Outcome;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The operating lifecycle on a real standalone cluster (JobManager and TaskManager processes started by
 * deploy/local/flink-cluster.sh), driven through the Flink CLI: submit the orders pipeline file, watch over REST
 * and Prometheus, stop with a savepoint, check and submit version 2 of the file (a new optional field, an added
 * step) from it, and end with exactly the table an uninterrupted run produces.
 */
class ClusterLifecycleTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A user's function jar, shipped apart from the job jar (udfs/examples). */
    private static final Path USER_JAR =
            Path.of("..", "udfs", "examples", "target", "midstream-udf-examples-0.1.0-SNAPSHOT.jar");

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private final Map<String, Long> timings = new LinkedHashMap<>();

    @Test
    void submitMonitorSavepointAndRestoreOnARealCluster(@TempDir Path dir) throws Exception {
        assertTrue(Files.exists(LocalCluster.JOB_JAR), "build the job jar first: " + LocalCluster.JOB_JAR);
        OrdersScenario scenario = new OrdersScenario(6, 1500);
        String topic = KAFKA.uniqueTopic("cluster", 2);
        KAFKA.createTopic(topic + ".dead-letters", 1);
        TestDatabase db = POSTGRES.newDatabase("cluster");
        Path config = dir.resolve("orders.properties");
        OrdersScenario.writeUnboundedConfig(config, KAFKA.bootstrapServers(), topic, db.jdbcUrl());
        // Counting undeclared fields, so the scrape holds the drift counter the dashboard and the alerts name.
        Map<String, String> topics = PipelineFiles.withoutCleanTopic("orders",
                Map.of("[ods.orders]", "[" + topic + "]", "ods.orders.dead-letters", topic + ".dead-letters",
                        "  format: json\n", "  format: json\n  unknown_fields: count\n"));
        Path fileV1 = PipelineFiles.copy(PipelineFiles.ORDERS, Files.createDirectories(dir.resolve("v1")), topics);
        // Version 2: a new optional field and two added stateless steps (none changes the table), one of them a
        // user function from a separate jar that only the job's -C class path brings.
        Path fileV2 = PipelineFiles.copy(fileV1, Files.createDirectories(dir.resolve("v2")), Map.of(
                "  channel:        {type: string, max_length: 32}",
                "  channel:        {type: string, max_length: 32}\n  coupon_code:    {type: string, max_length: 32}",
                "\npii:",
                "\ntransform:\n  - id: order_label\n    function: derive\n"
                        + "    params: {field: order_label, template: \"{order_id}/{status}\"}\n"
                        + "  - id: email_domain\n    function: email_domain\n"
                        + "    params: {field: customer_email, into: email_domain}\n\npii:"));
        assertTrue(Files.exists(USER_JAR), "build the example function jar first: " + USER_JAR);
        Path renamed = PipelineFiles.copy(fileV2, Files.createDirectories(dir.resolve("renamed")),
                Map.of("pipeline: orders", "pipeline: orders_v2"));

        Map<String, String> env = new java.util.HashMap<>(OrdersScenario.env());
        env.put("MIDSTREAM_USER_JARS", USER_JAR.toAbsolutePath().toString());
        try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), env)) {
            timed("cluster start (JM + TM registered)", () -> { cluster.start(); return null; });
            scenario.produceTo(KAFKA.bootstrapServers(), topic);
            long firstRound = scenario.events.size();

            // 1. Submit with the CLI, as `flink run -d` does.
            String v1 = timed("flink run -d", () -> LocalCluster.jobIdOf(cluster.flink("run", "-d", "-c",
                    PipelinesJob.class.getName(), LocalCluster.JOB_JAR.toString(), "--config", config.toString(),
                    "--pipeline", fileV1.toString())));
            FlinkRestMetrics rest = new FlinkRestMetrics(cluster.restUrl(), v1);
            timed("job RUNNING", () -> awaitState(rest, v1, "RUNNING"));

            // 2. Web UI, readable vertex names, accounting over REST and in the Prometheus scrape.
            assertTrue(httpGet(cluster.restUrl() + "/").contains("Apache Flink"), "web UI served at /");
            List<String> vertices = names(rest.get("/jobs/" + v1).path("vertices"));
            assertTrue(vertices.stream().anyMatch(v -> v.contains("orders: Parse and validate")), vertices.toString());
            Map<String, Long> first = timed("first round processed", () -> awaitRead(rest, firstRound));
            assertEquals(first.get("read"), first.get("written") + first.get("rejected") + first.get("deduplicated"));
            String scrape = prometheusScrape(cluster);
            Files.writeString(Path.of("target", "prometheus-scrape.txt"), scrape);
            List<String> unknownInDashboard = DashboardMetrics.missing(
                    DashboardMetrics.read(Path.of("..", "deploy", "grafana", "midstream-dashboard.json")),
                    DashboardMetrics.scrapedNames(scrape));
            assertTrue(unknownInDashboard.isEmpty(), "dashboard queries name metrics the cluster does not export: "
                    + unknownInDashboard);
            List<String> unknownInAlerts = DashboardMetrics.missingInRules(
                    Path.of("..", "deploy", "prometheus", "midstream-alerts.yaml"), DashboardMetrics.scrapedNames(scrape));
            assertTrue(unknownInAlerts.isEmpty(), "alert rules name metrics the cluster does not export: "
                    + unknownInAlerts);
            assertTrue(scrape.contains("_midstream_read") && scrape.contains("_midstream_validation_rejected_"),
                    "Midstream counters in the Prometheus scrape");
            // The alert rules match a data set's expectations by its pipeline label; the values are its file's.
            assertTrue(java.util.regex.Pattern.compile("(?m)^flink_taskmanager_job_task_operator_midstream_pipeline"
                    + "_expectation_rejected_ratio_error\\{[^}]*pipeline=\"orders\"[^}]*} 0\\.25$").matcher(scrape).find(),
                    "the orders file's rejected_ratio.error (25 %) exported with its pipeline label");

            // 3. Stop with a savepoint.
            String savepoint = timed("flink stop --savepointPath", () -> LocalCluster.savepointOf(cluster.flink(
                    "stop", "--savepointPath", dir.resolve("savepoints").toUri().toString(), v1)));

            // Pre-upgrade check, with the command users run: version 2 restores every state (exit 0); a renamed
            // pipeline would drop them (exit 2).
            LocalCluster.Command safe = timed("check-upgrade (midstream script)", () -> cluster.midstream(
                    "check-upgrade", "--savepoint", savepoint, "--config", config.toString(), "--pipeline", fileV2.toString()));
            assertEquals(0, safe.exitCode(), safe.output());
            assertTrue(safe.output().contains("Safe to upgrade"), safe.output());
            assertTrue(safe.output().lines().anyMatch(l -> l.startsWith("  restored  orders/dedup ")
                    && !l.endsWith(" 0 bytes of state")), safe.output());
            assertTrue(safe.output().lines().anyMatch(l -> l.startsWith("  restored  orders/source ")), safe.output());
            assertTrue(safe.output().lines().anyMatch(l -> l.startsWith("  new       orders/transform/order_label ")),
                    safe.output());
            LocalCluster.Command unsafe = cluster.midstream("check-upgrade", "--savepoint", savepoint, "--config",
                    config.toString(), "--pipeline", renamed.toString());
            assertEquals(2, unsafe.exitCode(), unsafe.output());
            assertTrue(unsafe.output().lines().anyMatch(l -> l.startsWith("  DROPPED   orders/dedup ")), unsafe.output());
            System.out.println(safe.output() + "\n" + unsafe.output());

            // More data while no job runs: new orders, and exact re-sends of versions the first job wrote.
            scenario.addOrders(1500);
            int resent = scenario.resendWinners(200).size();
            scenario.produceTo(KAFKA.bootstrapServers(), topic);
            long secondRound = scenario.events.size() - firstRound;

            // 4. Version 2 (the edited pipeline file) from the savepoint, without --allowNonRestoredState.
            String job2 = timed("flink run -d -s <savepoint>", () -> LocalCluster.jobIdOf(cluster.flink(
                    "run", "-d", "-s", savepoint, "-C", USER_JAR.toAbsolutePath().toUri().toString(),
                    "-c", PipelinesJob.class.getName(), LocalCluster.JOB_JAR.toString(),
                    "--config", config.toString(), "--pipeline", fileV2.toString())));
            FlinkRestMetrics rest2 = new FlinkRestMetrics(cluster.restUrl(), job2);
            awaitState(rest2, job2, "RUNNING");
            List<String> vertices2 = names(rest2.get("/jobs/" + job2).path("vertices"));
            assertTrue(vertices2.stream().anyMatch(v -> v.contains("orders: Function derive (order_label)")
                    && v.contains("orders: Function email_domain (email_domain)")), "version 2's new steps run: " + vertices2);
            await("restored from the savepoint", () -> rest2.get("/jobs/" + job2 + "/checkpoints")
                    .at("/latest/restored/is_savepoint").asBoolean(false));
            Map<String, Long> second = timed("second round processed", () -> awaitRead(rest2, secondRound));

            // Dedup state from version 1 is in force: every re-send of a version it wrote is a duplicate.
            long expectedDuplicates = scenario.events.subList((int) firstRound, scenario.events.size()).stream()
                    .filter(e -> e.outcome() == Outcome.DUPLICATE).count();
            assertEquals(expectedDuplicates, second.get("dedup.duplicate"),
                    resent + " re-sends of pre-savepoint versions must be rejected as duplicates");

            // 5. The table equals what one uninterrupted run produces.
            try (Connection c = db.connect()) {
                timed("table complete", () -> await("orders table complete",
                        () -> OrdersScenario.actualTable(c).size() == scenario.winners.size()));
                MapAssert.assertSameEntries("orders table", scenario.expectedTable(), OrdersScenario.actualTable(c));
                MapAssert.assertSameEntries("dead_letters", scenario.expectedDeadLetters(), OrdersScenario.actualDeadLetters(c));
            }
            cluster.flink("cancel", job2);
        } finally {
            System.out.println("Lifecycle timings (ms): " + timings);
        }
    }

    private <T> T timed(String step, Callable<T> action) throws Exception {
        long start = System.nanoTime();
        T result = action.call();
        timings.put(step, (System.nanoTime() - start) / 1_000_000);
        return result;
    }

    private static boolean awaitState(FlinkRestMetrics rest, String jobId, String state) throws Exception {
        return await("job " + jobId + " " + state, () -> rest.get("/jobs/" + jobId).path("state").asText().equals(state));
    }

    private static Map<String, Long> awaitRead(FlinkRestMetrics rest, long expected) throws Exception {
        Map<String, Long>[] last = new Map[1];
        await("read = " + expected + " and accounted for", () -> {
            Map<String, Long> c = rest.midstreamCounters();
            last[0] = c;
            long read = c.getOrDefault("read", 0L);
            return read == expected && read == c.getOrDefault("written", 0L) + c.getOrDefault("rejected", 0L)
                    + c.getOrDefault("deduplicated", 0L);
        });
        return last[0];
    }

    private static boolean await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return true;
                }
            } catch (java.io.IOException notYet) {
                // REST not answering this path yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static String prometheusScrape(LocalCluster cluster) throws Exception {
        // The range has two ports, and the JobManager and the TaskManager each take one: both must answer.
        StringBuilder all = new StringBuilder();
        for (int port = cluster.promPortFrom; port <= cluster.promPortFrom + 1; port++) {
            try {
                all.append(httpGet("http://127.0.0.1:" + port + "/"));
            } catch (java.io.IOException e) {
                throw new AssertionError("no Prometheus reporter answers on port " + port + " of the range "
                        + cluster.promPortFrom + "-" + (cluster.promPortFrom + 1) + " (see the cluster's logs)", e);
            }
        }
        return all.toString();
    }

    private static String httpGet(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    private static List<String> names(JsonNode vertices) {
        List<String> names = new java.util.ArrayList<>();
        vertices.forEach(v -> names.add(v.path("name").asText()));
        return names;
    }
}
