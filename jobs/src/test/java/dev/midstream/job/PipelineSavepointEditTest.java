package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.model.JobSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.upgrade.PipelineStateCompatibility;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upgrade path of a declarative pipeline: run the customers pipeline, stop it with a savepoint, edit the
 * file (a step added, two steps reordered, an optional field added, a rule changed), restore the savepoint into
 * the edited pipeline, and show that the dedup state came along: a record sent before the savepoint, sent
 * again after the restore, is still recognised as a duplicate. The table's writer changes on the way too.
 */
class PipelineSavepointEditTest {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir
    Path dir;

    static final String ADA = """
            {"customer_id":"c1","email":"ada@example.com","tier":"gold","updated_at":"2024-01-01T10:00:00Z",
             "address":{"city":"London","country":"GB"}}""";
    static final String BOB = """
            {"customer_id":"c2","email":"bob@example.com","tier":"diamond","nickname":"Bobby",
             "updated_at":"2024-01-01T11:00:00Z","address":{"city":"Paris","country":"FR"}}""";

    @Test
    void dedupStateSurvivesAnEditedPipelineFile() throws Exception {
        String topic = KAFKA.uniqueTopic("customers-upgrade", 1);
        String dlq = KAFKA.uniqueTopic("dlq-customers-upgrade", 1);
        TestDatabase db = POSTGRES.newDatabase("upgrade");
        Path v1Dir = Files.createDirectories(dir.resolve("v1"));
        Path v2Dir = Files.createDirectories(dir.resolve("v2"));
        Map<String, String> topics = PipelineFiles.withoutCleanTopic("customers",
                Map.of("[ods.customers]", "[" + topic + "]", "dlq.customers", dlq));
        Path v1 = PipelineFiles.copy(PipelineFiles.CUSTOMERS, v1Dir, topics);
        Path v2 = PipelineFiles.copy(v1, v2Dir, Map.of(
                // an optional field
                "  tier:        {type: string, default: standard}",
                "  tier:        {type: string, default: standard}\n  nickname:    {type: string, max_length: 40}",
                // a changed rule
                "enum: [standard, gold, platinum]", "enum: [standard, gold, platinum, diamond]",
                // the lookup table must know the new tier, and the lookup now runs before email_domain
                "      table: {standard: \"1\", gold: \"2\", platinum: \"3\"}",
                "      table: {standard: \"1\", gold: \"2\", platinum: \"3\", diamond: \"4\"}",
                // a new step
                "  - id: flatten_address",
                "  - id: nickname_default\n    function: derive\n    params: {field: nickname, expression: \"coalesce(nickname, full_name, customer_id)\"}\n  - id: flatten_address"));
        String reordered = Files.readString(v2);
        String emailDomain = reordered.substring(reordered.indexOf("  - id: email_domain"), reordered.indexOf("  - id: tier_rank"));
        String tierRank = reordered.substring(reordered.indexOf("  - id: tier_rank"), reordered.indexOf("  - id: nickname_default"));
        Files.writeString(v2, reordered.replace(emailDomain + tierRank, tierRank + emailDomain));

        Map<String, String> options = OrdersScenario.jobOptions(KAFKA.bootstrapServers(), "unused", db.jdbcUrl());
        options.remove("midstream.source.bounded");
        options.put("midstream.sink.create-tables", "true");
        options.put("midstream.sink.batch-interval", "100ms");
        JobOptions config = TestJobs.options(options);
        // The first job writes its table with the connector's writer, the second by COPY: the savepoint of one sink
        // writer restores into the other (same writer state and committables), with nothing to allow as unrestored.
        Map<String, String> statementOptions = new java.util.HashMap<>(options);
        statementOptions.put("midstream.sink.write-method", "statement");
        JobOptions statementConfig = TestJobs.options(statementOptions);
        JobSpec before = JobFiles.pipelines(List.of(v1), OrdersScenario.env()::get);
        JobSpec after = JobFiles.pipelines(List.of(v2), OrdersScenario.env()::get);
        assertEquals(List.of(), PipelineStateCompatibility.losses(before.pipelines().get(0), after.pipelines().get(0)),
                "validate --against sees no state lost");

        produce(topic, ADA);
        JobClient first = TestJobs.start(environment(null), statementConfig, before);
        awaitRows(db, 1);
        String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);

        produce(topic, ADA);
        produce(topic, BOB);
        JobClient second = TestJobs.start(environment(savepoint), config, after);
        awaitRows(db, 2);
        awaitCounter(second.getJobID(), "deduplicated", 1);
        second.cancel().get(1, TimeUnit.MINUTES);

        Map<String, Long> counters = midstreamCounters(second.getJobID());
        assertEquals(2, counters.get("read"), "only the records sent after the savepoint are read again");
        assertEquals(1, counters.get("dedup.duplicate"), "Ada's re-send is a duplicate: dedup state was restored");
        assertEquals(1, counters.get("written"), "Bob, with the new field and the newly allowed tier");
        assertEquals(0, counters.getOrDefault("rejected", 0L));
        try (Connection c = db.connect()) {
            assertEquals(Map.of("c1", "gold|2", "c2", "diamond|4"),
                    PipelinesJobIntegrationTest.rows(c, "SELECT customer_id, tier, tier_rank FROM customers"));
        }
    }

    private StreamExecutionEnvironment environment(String savepoint) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    private static void produce(String topic, String value) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, value.replace("\n", "").getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static void awaitRows(TestDatabase db, int rows) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = db.connect()) {
                if (PipelinesJobIntegrationTest.rows(c, "SELECT customer_id, 1 FROM customers").size() >= rows) {
                    return;
                }
            } catch (java.sql.SQLException tableNotThereYet) {
                // created when the job starts
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the customers table did not reach " + rows + " rows in time");
    }

    private static void awaitCounter(JobID job, String name, long value) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(deadline)) {
            if (midstreamCounters(job).getOrDefault(name, 0L) >= value) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("midstream." + name + " did not reach " + value + ": " + midstreamCounters(job));
    }

    private static Map<String, Long> midstreamCounters(JobID job) {
        return JobCounters.of(METRICS, job);
    }
}
