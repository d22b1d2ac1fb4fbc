package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.engine.JobGraphBuilder;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.model.JobSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.testkit.orders.Outcome;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The hand-off to the next layer: a pipeline's clean topic is written exactly once. With a task failure injected
 * after a checkpoint (so part of the input is processed twice), a {@code read_committed} reader still sees every
 * written version exactly once, and the newest version per key equals the table.
 */
class CleanTopicExactlyOnceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir
    Path dir;

    @Test
    void aReplayAfterAFailureNeverRepeatsACommittedRecord() throws Exception {
        OrdersScenario scenario = new OrdersScenario(9, 4000);
        String topic = KAFKA.uniqueTopic("orders-eo", 2);
        KAFKA.createTopic(topic + ".dead-letters", 1);
        String clean = KAFKA.uniqueTopic("dwd-orders", 2);
        scenario.produceTo(KAFKA.bootstrapServers(), topic);
        TestDatabase db = POSTGRES.newDatabase("clean_topic");

        Path file = PipelineFiles.copy(PipelineFiles.ORDERS, dir, Map.of(
                "[ods.orders]", "[" + topic + "]",
                "ods.orders.dead-letters", topic + ".dead-letters",
                "  topic: dwd.orders\n", "  topic: " + clean + "\n"));
        JobSpec job = JobFiles.pipelines(List.of(file), OrdersScenario.env()::get);
        JobOptions options = TestJobs.options(OrdersScenario.jobOptions(KAFKA.bootstrapServers(), topic, db.jdbcUrl()));
        String fault = "clean-topic-" + System.nanoTime();
        JobClient client = TestJobs.start(environment(), options, job,
                new FaultyTables(KafkaJdbcConnectors.of(options), fault));
        client.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        assertTrue(FailOnceAfterCheckpoint.FAILED.getOrDefault(fault, false), "the injected failure happened");

        List<ConsumerRecord<byte[], byte[]>> committed =
                KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), clean, Duration.ofSeconds(30));
        JsonMapper json = JsonMapper.builder().build();
        Set<String> versions = new HashSet<>();
        Map<String, String> newest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : committed) {
            JsonNode row = json.readTree(record.value());
            String orderId = row.path("order_id").asText();
            String eventTime = row.path("event_time").asText();
            assertTrue(versions.add(orderId + "@" + eventTime), "a committed version appears twice: " + orderId + "@" + eventTime);
            assertEquals(orderId, new String(record.key(), java.nio.charset.StandardCharsets.UTF_8), "keyed by the key");
            assertTrue(!row.path("customer_email").asText().contains("@"), "the clean topic carries masked PII only");
            assertEquals(java.time.Instant.parse(eventTime).toEpochMilli(), record.timestamp(),
                    "the Kafka timestamp is the event time, for the next layer's watermarks");
            newest.merge(orderId, eventTime, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        assertEquals(scenario.count(Outcome.WRITTEN), committed.size(), "every written version exactly once");
        Map<String, String> expectedNewest = new HashMap<>();
        scenario.winners.forEach((id, order) -> expectedNewest.put(id, order.eventTime().toString()));
        assertEquals(expectedNewest, newest, "the newest version per order is the table's");
    }

    @Test
    void aCleanTopicWithoutCheckpointsIsAConfigurationError() throws Exception {
        Path file = PipelineFiles.copy(PipelineFiles.ORDERS, dir, Map.of("  topic: dwd.orders\n", "  topic: dwd.x\n"));
        JobSpec job = JobFiles.pipelines(List.of(file), OrdersScenario.env()::get);
        JobOptions options = TestJobs.options(OrdersScenario.jobOptions("localhost:9092", "t", "jdbc:postgresql://db/x"));
        StreamExecutionEnvironment withoutCheckpoints = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        List<String> problems = org.junit.jupiter.api.Assertions.assertThrows(dev.midstream.model.ConfigException.class,
                () -> JobGraphBuilder.of(options).build(withoutCheckpoints, job, KafkaJdbcConnectors.of(options)))
                .problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith(file + ": sink.topic: pipeline 'orders' writes clean records to 'dwd.x'"
                + " exactly once"), problems.get(0));
        JobGraphBuilder.of(options).build(environment(), job, KafkaJdbcConnectors.of(options));
    }

    private StreamExecutionEnvironment environment() {
        return TestEnvironments.withFailover(dir.resolve("checkpoints"));
    }
}
