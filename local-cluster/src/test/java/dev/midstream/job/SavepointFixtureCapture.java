package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.testkit.FlinkRestMetrics;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.testkit.orders.GeneratedEvent;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Not a test: the tool that made the savepoint fixtures under {@code jobs/src/test/resources/savepoints/}
 * ({@code ./mvnw -pl local-cluster -am verify -Pcapture-savepoint -Dfixture.dir=<new dir>}, after building the jar whose
 * state the fixture should hold). It runs the shipped {@code pipelines/orders.yaml} on the real cluster, writes a
 * first round of orders, stops the job with a savepoint and stores, beside the savepoint, every record of the first
 * round (so a restore test can rebuild the topic at the same offsets) and the second round the restore test sends.
 * It writes this version's configuration keys; {@code orders-flink-2.0.2} was captured with those of its release
 * ({@code midstream.source.bootstrap-servers}, {@code midstream.sink.jdbc-url}), otherwise the same.
 */
@Tag("capture")
class SavepointFixtureCapture {
    static final String TOPIC = "ods.orders";

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void captureOrdersSavepoint(@TempDir Path dir) throws Exception {
        Path out = Path.of(System.getProperty("fixture.dir", "target/savepoint-fixture")).toAbsolutePath();
        Files.createDirectories(out);
        KAFKA.createTopic(TOPIC, 2);
        KAFKA.createTopic("ods.orders.dead-letters", 1);
        KAFKA.createTopic("dwd.orders", 2);
        TestDatabase db = POSTGRES.newDatabase("fixture");
        Path config = dir.resolve("job.properties");
        Files.writeString(config, String.join("\n",
                "midstream.kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                "midstream.source.starting-offsets=earliest",
                "midstream.source.max-record-bytes=" + OrdersScenario.MAX_RECORD_BYTES,
                "midstream.validation.local-time-zone=" + OrdersScenario.LOCAL_ZONE.getId(),
                "midstream.jdbc.url=" + db.jdbcUrl(),
                "midstream.sink.batch-size=200"));

        OrdersScenario scenario = new OrdersScenario(17, 800);
        int firstRound = scenario.events.size();
        try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), OrdersScenario.env())) {
            cluster.start();
            scenario.produceTo(KAFKA.bootstrapServers(), TOPIC);
            String job = LocalCluster.jobIdOf(cluster.flink("run", "-d", "-c", "dev.midstream.job.PipelinesJob",
                    LocalCluster.JOB_JAR.toString(), "--config", config.toString(),
                    "--pipeline", Path.of("..", "pipelines", "orders.yaml").toAbsolutePath().toString()));
            FlinkRestMetrics rest = new FlinkRestMetrics(cluster.restUrl(), job);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (rest.midstreamCounters().getOrDefault("read", 0L) < firstRound) {
                assertTrue(System.nanoTime() < deadline, "first round not read: " + rest.midstreamCounters());
                Thread.sleep(500);
            }
            Thread.sleep(6_000); // one more checkpoint, so the clean topic's transaction commits too
            String savepoint = LocalCluster.savepointOf(cluster.flink("stop", "--savepointPath",
                    dir.resolve("savepoints").toUri().toString(), job));
            copy(Path.of(java.net.URI.create(savepoint)), out.resolve("savepoint"));
            String version = cluster.flink("--version").lines().filter(l -> l.startsWith("Version:")).findFirst()
                    .orElse("?");
            Files.writeString(out.resolve("captured-with.txt"), "job jar: " + LocalCluster.JOB_JAR.getFileName()
                    + "\nflink: " + version + "\ncounters at the savepoint: " + rest.midstreamCounters() + "\n");
        }

        scenario.addOrders(400);
        scenario.resendWinners(100);
        try (OutputStream file = Files.newOutputStream(out.resolve("records.jsonl.gz"));
                PrintWriter lines = new PrintWriter(new java.io.OutputStreamWriter(new GZIPOutputStream(file),
                        StandardCharsets.UTF_8))) {
            for (int i = 0; i < scenario.events.size(); i++) {
                GeneratedEvent e = scenario.events.get(i);
                assertTrue(e.headers().isEmpty(), "generated events carry no headers");
                String position = i < firstRound ? scenario.positions.get(i) : "";
                lines.println("{\"round\":" + (i < firstRound ? 1 : 2)
                        + ",\"position\":\"" + position + "\""
                        + ",\"key\":" + b64(e.key()) + ",\"value\":" + b64(e.value())
                        + ",\"outcome\":\"" + e.outcome() + "\""
                        + (e.stage() == null ? "" : ",\"dead_letter\":\"" + e.stage() + "/" + e.rule() + "\"") + "}");
            }
        }
        // The second round's orders are new ids: the table a restored job must end with holds exactly their winners.
        Map<String, String> expected = scenario.expectedTable();
        List<String> roundTwoIds = scenario.events.subList(firstRound, scenario.events.size()).stream()
                .filter(e -> e.order() != null).map(e -> e.order().orderId()).distinct().toList();
        StringBuilder rows = new StringBuilder();
        for (String id : roundTwoIds) {
            boolean firstRoundOrder = scenario.events.subList(0, firstRound).stream()
                    .anyMatch(e -> e.order() != null && e.order().orderId().equals(id));
            if (!firstRoundOrder) {
                rows.append(id).append('\t').append(expected.get(id)).append('\n');
            }
        }
        Files.writeString(out.resolve("expected-round-two-table.tsv"), rows.toString());
    }

    private static String b64(byte[] bytes) {
        return bytes == null ? "null" : "\"" + Base64.getEncoder().encodeToString(bytes) + "\"";
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
