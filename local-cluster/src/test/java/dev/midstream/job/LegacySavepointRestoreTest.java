package dev.midstream.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.midstream.testkit.FlinkRestMetrics;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * A savepoint taken by an earlier release restores into this build on the real cluster, without
 * {@code --allowNonRestoredState}: the fixture {@code savepoints/orders-flink-2.0.2} was taken by the job jar of
 * commit 5a6b5d5 on Flink 2.0.2 (before the engine redesign and the move to Flink 2.2), running the shipped
 * {@code pipelines/orders.yaml} over a first round of orders. This test rebuilds that topic record for record at the
 * same offsets, sends the second round (new orders, and byte-for-byte re-sends of first-round winners), and restores
 * the savepoint with this build's jar and {@code pipelines/orders.yaml} (its dedup TTL lengthened, see
 * {@link #longLivedDedup}). Source offsets restored: exactly the second
 * round is read. Dedup state restored: every re-send is a duplicate. The table ends with exactly the second round's
 * orders, and the dead letters with exactly its rejects.
 */
class LegacySavepointRestoreTest {
    private static final Path FIXTURE = Path.of("..", "jobs", "src", "test", "resources", "savepoints", "orders-flink-2.0.2");
    private static final String TOPIC = "ods.orders";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private record FixtureRecord(int round, String position, byte[] key, byte[] value, String outcome, String deadLetter) {}

    @Test
    void savepointOfFlink202ReleaseRestoresWithItsSourceOffsetsAndDedupState(@TempDir Path dir) throws Exception {
        assertTrue(Files.exists(LocalCluster.JOB_JAR), "build the job jar first: " + LocalCluster.JOB_JAR);
        List<FixtureRecord> records = readRecords();
        List<FixtureRecord> firstRound = records.stream().filter(r -> r.round() == 1).toList();
        List<FixtureRecord> secondRound = records.stream().filter(r -> r.round() == 2).toList();
        KAFKA.createTopic(TOPIC, 2);
        KAFKA.createTopic("ods.orders.dead-letters", 1);
        KAFKA.createTopic("dwd.orders", 2);
        produceAtRecordedOffsets(firstRound);
        List<String> secondPositions = produce(secondRound);

        TestDatabase db = POSTGRES.newDatabase("legacy_restore");
        Path config = dir.resolve("job.properties");
        Files.writeString(config, String.join("\n",
                "midstream.kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                "midstream.source.starting-offsets=earliest",
                "midstream.source.max-record-bytes=" + OrdersScenario.MAX_RECORD_BYTES,
                "midstream.validation.local-time-zone=" + OrdersScenario.LOCAL_ZONE.getId(),
                "midstream.jdbc.url=" + db.jdbcUrl(),
                "midstream.sink.batch-size=200"));
        Path savepoint = copy(FIXTURE.resolve("savepoint"), dir.resolve("savepoint"));
        Path pipeline = longLivedDedup(dir.resolve("orders.yaml"));

        try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), OrdersScenario.env())) {
            cluster.start();
            String job = LocalCluster.jobIdOf(cluster.flink("run", "-d", "-s", savepoint.toUri().toString(),
                    "-c", PipelinesJob.class.getName(), LocalCluster.JOB_JAR.toString(), "--config", config.toString(),
                    "--pipeline", pipeline.toString()));
            FlinkRestMetrics rest = new FlinkRestMetrics(cluster.restUrl(), job);
            await("restored from the savepoint").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> rest.get("/jobs/" + job + "/checkpoints").at("/latest/restored/is_savepoint").asBoolean(false));
            Map<String, Long>[] counters = new Map[1];
            await("the second round read and accounted for").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> {
                        counters[0] = rest.midstreamCounters();
                        long read = counters[0].getOrDefault("read", 0L);
                        return read >= secondRound.size() && read == counters[0].getOrDefault("written", 0L)
                                + counters[0].getOrDefault("rejected", 0L) + counters[0].getOrDefault("deduplicated", 0L);
                    });
            assertEquals(secondRound.size(), counters[0].get("read"),
                    "the restored source starts where the savepoint stopped: exactly the second round is read");
            long resends = secondRound.stream().filter(r -> r.outcome().equals("DUPLICATE")).count();
            assertTrue(resends >= 100, "the fixture re-sends first-round winners: " + resends);
            assertEquals(resends, counters[0].get("dedup.duplicate"),
                    "the restored dedup state knows the first round: every re-send of its versions is a duplicate; "
                            + counters[0]);

            Map<String, String> expectedTable = new TreeMap<>();
            for (String line : Files.readAllLines(FIXTURE.resolve("expected-round-two-table.tsv"))) {
                String[] parts = line.split("\t", 2);
                expectedTable.put(parts[0], parts[1]);
            }
            Map<String, String> expectedLetters = new TreeMap<>();
            for (int i = 0; i < secondRound.size(); i++) {
                if (secondRound.get(i).deadLetter() != null) {
                    expectedLetters.put(secondPositions.get(i), secondRound.get(i).deadLetter());
                }
            }
            try (Connection c = db.connect()) {
                await("the table holds the second round").atMost(Duration.ofMinutes(1))
                        .until(() -> OrdersScenario.actualTable(c).size() >= expectedTable.size());
                MapAssert.assertSameEntries("orders table", expectedTable, OrdersScenario.actualTable(c));
                await("the dead letters of the second round").atMost(Duration.ofMinutes(1))
                        .until(() -> OrdersScenario.actualDeadLetters(c).size() >= expectedLetters.size());
                MapAssert.assertSameEntries("dead_letters", expectedLetters, OrdersScenario.actualDeadLetters(c));
            }
            cluster.flink("cancel", job);
        }
    }

    /**
     * {@code pipelines/orders.yaml} with a dedup TTL of ten years instead of 24 h. The TTL counts processing time
     * from when each key was last written, and the fixture's keys were written when it was captured (2026-11-30):
     * with the shipped TTL every first-round key has expired a day later, correctly, and the re-sends are written
     * again. The TTL's length is not part of the state, so a restore may change it.
     */
    private static Path longLivedDedup(Path to) throws Exception {
        String shipped = Files.readString(Path.of("..", "pipelines", "orders.yaml"));
        String longLived = shipped.replace("  ttl: 24h\n", "  ttl: 3650d\n");
        assertNotEquals(shipped, longLived, "pipelines/orders.yaml no longer says 'ttl: 24h' under dedup");
        return Files.writeString(to, longLived).toAbsolutePath();
    }

    private static List<FixtureRecord> readRecords() throws Exception {
        List<FixtureRecord> records = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(FIXTURE.resolve("records.jsonl.gz"))), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode n = JSON.readTree(line);
                records.add(new FixtureRecord(n.get("round").asInt(), n.get("position").asText(), bytes(n.get("key")),
                        bytes(n.get("value")), n.get("outcome").asText(),
                        n.has("dead_letter") ? n.get("dead_letter").asText() : null));
            }
        }
        return records;
    }

    private static byte[] bytes(JsonNode node) {
        return node.isNull() ? null : Base64.getDecoder().decode(node.asText());
    }

    /** The first round, each record to the partition it was read from, in order: the offsets come out the same. */
    private static void produceAtRecordedOffsets(List<FixtureRecord> round) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (var producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            for (FixtureRecord r : round) {
                int partition = Integer.parseInt(r.position().substring(0, r.position().indexOf('@')));
                sent.add(producer.send(new ProducerRecord<>(TOPIC, partition, r.key(), r.value())));
            }
        }
        for (int i = 0; i < round.size(); i++) {
            RecordMetadata m = sent.get(i).get();
            assertEquals(round.get(i).position(), m.partition() + "@" + m.offset(), "record " + i + " of round 1");
        }
    }

    private static List<String> produce(List<FixtureRecord> round) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (var producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            for (FixtureRecord r : round) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, r.key(), r.value())));
            }
        }
        List<String> positions = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata m = f.get();
            positions.add(m.partition() + "@" + m.offset());
        }
        return positions;
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName().toString()));
            }
        }
        return to;
    }
}
