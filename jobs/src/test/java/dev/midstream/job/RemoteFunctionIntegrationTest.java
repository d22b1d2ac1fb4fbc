package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.engine.JobGraphBuilder;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.engine.TableSetup;
import dev.midstream.function.FunctionHostProcess;
import dev.midstream.function.RemoteHosts;
import dev.midstream.model.JobSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.FaultyHttpProxy;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The customers pipeline with its {@code email_domain} step in-process and as a remote step on a real function host
 * (its own JVM) writes the same table and the same dead letters, row for row, although the remote run goes through
 * 503s, a 429 with Retry-After, slow answers, a host killed with SIGKILL before the job's first call and started
 * again two seconds later, and a task failure after a checkpoint, after which the host sees ids again.
 */
class RemoteFunctionIntegrationTest {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
            .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir
    Path dir;

    @Test
    void aRemoteStepWritesWhatTheInProcessStepWritesThroughHostFaults() throws Exception {
        String topic = KAFKA.uniqueTopic("customers-remote", 2);
        produce(topic, customers(3_000));
        KAFKA.createTopic(topic + ".dead-letters", 1);
        Map<String, String> topics = PipelineFiles.withoutCleanTopic("customers",
                Map.of("[ods.customers]", "[" + topic + "]", "dlq.customers", topic + ".dead-letters"));

        TestDatabase reference = POSTGRES.newDatabase("remote_reference");
        Path inProcess = java.nio.file.Files.createDirectories(dir.resolve("in-process"));
        JobClient referenceJob = TestJobs.start(environment(false), options(reference), JobFiles.pipelines(
                List.of(PipelineFiles.copy(PipelineFiles.CUSTOMERS, inProcess, topics)), OrdersScenario.env()::get));
        referenceJob.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        long domainsFound = JobCounters.of(METRICS, referenceJob.getJobID()).getOrDefault("udf.email_domain.domains_found", 0L);
        assertTrue(domainsFound > 500, "the in-process function counted " + domainsFound);

        try (FunctionHostProcess host = FunctionHostProcess.start(dir.resolve("host.log"));
                FaultyHttpProxy proxy = new FaultyHttpProxy(host.url())) {
            Map<String, String> remote = new java.util.HashMap<>(topics);
            remote.put(stepOf(PipelineFiles.CUSTOMERS), REMOTE_STEP);
            Path file = PipelineFiles.copy(PipelineFiles.CUSTOMERS,
                    java.nio.file.Files.createDirectories(dir.resolve("remote")), remote);
            JobSpec job = JobFiles.pipelines(List.of(file), name -> name.equals("EMAIL_DOMAIN_URL") ? proxy.url()
                    : OrdersScenario.env().get(name));

            // 503s, a 429 with Retry-After, attempts slower than the timeout, and a task failure after a checkpoint.
            TestDatabase failedOver = POSTGRES.newDatabase("remote_failover");
            JobOptions options = options(failedOver);
            String fault = "remote-" + System.nanoTime();
            proxy.answer(3, 503, null);
            proxy.answer(1, 429, "1");
            proxy.delay(3, 2_500);
            TestJobs.start(environment(true), options, job, new FaultyTables(KafkaJdbcConnectors.of(options), fault))
                    .getJobExecutionResult().get(3, TimeUnit.MINUTES);
            assertTrue(FailOnceAfterCheckpoint.FAILED.getOrDefault(fault, false), "the injected failure happened");
            assertTrue(proxy.idsSeen().values().stream().anyMatch(n -> n > 1),
                    "after the restore (and the abandoned slow attempts) the host saw ids again");
            assertSameTables(reference, failedOver);

            // The host killed (SIGKILL) after the start-up check, before the first call, and back two seconds later.
            TestDatabase restarted = POSTGRES.newDatabase("remote_restart");
            JobOptions restartOptions = options(restarted);
            StreamExecutionEnvironment env = environment(true);
            TableSetup.createTables(restartOptions, job);
            RemoteHosts.check(job.pipelines());
            host.kill();
            CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(2_000);
                    host.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JobGraphBuilder.of(restartOptions).build(env, job, KafkaJdbcConnectors.of(restartOptions));
            JobClient restartedJob = env.executeAsync(job.name());
            restartedJob.getJobExecutionResult().get(3, TimeUnit.MINUTES);
            back.get(1, TimeUnit.MINUTES);
            assertTrue(proxy.hostDownAnswers() > 0, "calls reached the killed host and were retried");
            Map<String, Long> counters = JobCounters.of(METRICS, restartedJob.getJobID());
            assertEquals(domainsFound, counters.get("udf.email_domain.domains_found"),
                    "the host's counters show under the step as the in-process function's do");
            assertTrue(counters.get("udf.email_domain.retries") > 0, "the retries are counted: " + counters);
            assertSameTables(reference, restarted);
        }
    }

    private static final String REMOTE_STEP = """
              - id: email_domain
                remote:
                  function: email_domain
                  url: ${env:EMAIL_DOMAIN_URL}
                  fields: [email]
                  params: {field: email, into: email_domain}
                  batch: {max_records: 10, linger: 5ms}
                  max_in_flight: 2
                  timeout: 2s
                  retry: {max_attempts: 12, backoff: 50ms, max_backoff: 1s, for: 1min}
                  allow_pii: true
            """;

    private static void assertSameTables(TestDatabase expectedDb, TestDatabase actualDb) throws Exception {
        try (Connection a = expectedDb.connect(); Connection b = actualDb.connect()) {
            String table = "SELECT customer_id, email_hash, email_domain, phone_masked, full_name, tier, tier_rank,"
                    + " credit_limit, city, country, address::text, updated_at FROM customers";
            Map<String, String> expected = PipelinesJobIntegrationTest.rows(a, table);
            assertTrue(expected.size() > 500, "the reference run wrote " + expected.size() + " customers");
            assertTrue(expected.values().stream().noneMatch(row -> row.split("\\|")[1].equals("null")),
                    "every customer has a domain");
            MapAssert.assertSameEntries("customers", expected, PipelinesJobIntegrationTest.rows(b, table));
            String deadLetters = "SELECT source_partition || '@' || source_offset, stage, rule, field, reason"
                    + " FROM customers_dead_letters";
            Map<String, String> expectedLetters = PipelinesJobIntegrationTest.rows(a, deadLetters);
            assertTrue(expectedLetters.size() > 50, "the input has rejects: " + expectedLetters.size());
            MapAssert.assertSameEntries("dead letters", expectedLetters, PipelinesJobIntegrationTest.rows(b, deadLetters));
        }
    }

    /** The in-process step's text in the pipeline file, replaced by the remote one. */
    private static String stepOf(Path file) throws Exception {
        String text = java.nio.file.Files.readString(file);
        int start = text.indexOf("  - id: email_domain\n");
        int end = text.indexOf("  - id: tier_rank\n");
        assertTrue(start > 0 && end > start, "customers.yaml still has its email_domain step before tier_rank");
        return text.substring(start, end);
    }

    private static JobOptions options(TestDatabase db) {
        Map<String, String> options = OrdersScenario.jobOptions(KAFKA.bootstrapServers(), "unused", db.jdbcUrl());
        options.put("midstream.sink.create-tables", "true");
        // Small upsert batches: enough of them after a checkpoint for the injected failure.
        options.put("midstream.sink.batch-size", "10");
        return TestJobs.options(options);
    }

    private StreamExecutionEnvironment environment(boolean withFailover) {
        return withFailover ? TestEnvironments.withFailover(dir.resolve("checkpoints")) : TestEnvironments.plain(2);
    }

    /** Customers with several versions each, duplicates, stale versions and a share of invalid records. */
    static List<String> customers(int count) {
        Random random = new Random(17);
        String[] tiers = {"standard", "GOLD", " platinum ", "bronze"};
        String[] domains = {"example.com", "Mail.org", "shop.example.co.uk", "b\u00fccher.de"};
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "c" + random.nextInt(count / 3);
            String email = random.nextInt(25) == 0 ? "no-at-sign-" + i
                    : " User" + i + "@" + domains[random.nextInt(domains.length)] + " ";
            Instant version = base.plusSeconds(random.nextInt(1_000) * 60L);
            out.add("{\"customer_id\":\"" + id + "\",\"email\":\"" + email + "\",\"phone\":\"+1 415 555 "
                    + (1000 + random.nextInt(9000)) + "\",\"full_name\":\"Customer  " + i + "\",\"tier\":\""
                    + tiers[random.nextInt(tiers.length)] + "\",\"credit_limit\":" + random.nextInt(5000) + ".5"
                    + ",\"updated_at\":\"" + version + "\",\"address\":{\"street\":\"" + i + " Main St\",\"city\":\"City "
                    + random.nextInt(20) + "\",\"country\":\"" + (random.nextInt(30) == 0 ? "GBR" : "gb") + "\"}}");
        }
        return out;
    }

    private static void produce(String topic, List<String> values) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            for (String value : values) {
                // A key's versions in one partition, as a keyed producer writes them: their order is the log's.
                String key = value.substring(value.indexOf("\"customer_id\":\"") + 15, value.indexOf("\",\"email\""));
                producer.send(new ProducerRecord<>(topic, Math.floorMod(key.hashCode(), 2), null,
                        value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}
