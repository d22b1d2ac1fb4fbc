package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.engine.Connectors;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.model.Database;
import dev.midstream.model.JobSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.MariaDbExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.testkit.orders.Outcome;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The orders pipeline ({@code pipelines/orders.yaml}) on a MiniCluster against a real Kafka broker and a real
 * PostgreSQL: a messy topic of known composition must become exactly the expected table and dead letters, with the
 * accounting adding up, and a run with an injected task failure must end with the same table.
 */
class OrdersPipelineIntegrationTest {
    private static final int ORDERS = 7_000;
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

    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @TempDir
    Path checkpoints;

    private StreamExecutionEnvironment environment(boolean restarts) {
        return TestEnvironments.checkpointed(checkpoints, 2, Duration.ofMillis(200), restarts);
    }

    private record Run(OrdersScenario scenario, TestDatabase db, String topic, JobID jobId) {}

    private Run run(long seed, String name, boolean injectFault) throws Exception {
        return run(new OrdersScenario(seed, ORDERS), name, injectFault, true, Database.POSTGRESQL);
    }

    private Run run(OrdersScenario scenario, String name, boolean injectFault, boolean restarts) throws Exception {
        return run(scenario, name, injectFault, restarts, Database.POSTGRESQL);
    }

    /** The shipped {@code pipelines/orders.yaml} (its topics renamed, without its clean topic), as users run it. */
    private Run run(OrdersScenario scenario, String name, boolean injectFault, boolean restarts, Database database)
            throws Exception {
        return run(scenario, name, injectFault, restarts, database, Map.of());
    }

    private Run run(OrdersScenario scenario, String name, boolean injectFault, boolean restarts, Database database,
            Map<String, String> moreOptions) throws Exception {
        TestDatabase db = database == Database.MARIADB ? MARIADB.newDatabase(name) : POSTGRES.newDatabase(name);
        String topic = KAFKA.uniqueTopic(name, 2);
        KAFKA.createTopic(topic + ".dead-letters", 1);
        scenario.produceTo(KAFKA.bootstrapServers(), topic);

        Map<String, String> settings = OrdersScenario.jobOptions(KAFKA.bootstrapServers(), topic, db.jdbcUrl());
        settings.putAll(moreOptions);
        JobOptions options = TestJobs.options(settings);
        JobSpec job = JobFiles.pipelines(List.of(PipelineFiles.copy(PipelineFiles.ORDERS,
                Files.createTempDirectory(checkpoints, "pipelines"), PipelineFiles.withoutCleanTopic("orders", Map.of(
                        "[ods.orders]", "[" + topic + "]", "ods.orders.dead-letters", topic + ".dead-letters")))),
                OrdersScenario.env()::get);
        String fault = "fail-after-checkpoint-" + System.nanoTime();
        Connectors connectors = KafkaJdbcConnectors.of(options);
        JobClient client = TestJobs.start(environment(restarts), options, job,
                injectFault ? new FaultyTables(connectors, fault) : connectors);
        client.getJobExecutionResult().get(4, TimeUnit.MINUTES);
        if (injectFault) {
            assertTrue(FailOnceAfterCheckpoint.FAILED.getOrDefault(fault, false), "the injected failure happened");
        }
        return new Run(scenario, db, topic, client.getJobID());
    }

    @Test
    void messyTopicBecomesExactlyTheExpectedTableAndDeadLetters() throws Exception {
        Run run;
        List<String> logLines;
        try (CapturedLogs logs = new CapturedLogs()) {
            run = run(1, "clean", false);
            logLines = logs.lines();
        }
        OrdersScenario scenario = run.scenario();
        assertNoRawPiiIn("log lines", logLines, scenario);
        List<String> metricNames = new java.util.ArrayList<>();
        METRICS.getMetricsByGroup().forEach((group, metrics) -> metrics.keySet()
                .forEach(name -> metricNames.add(group.getMetricIdentifier(name))));
        assertTrue(metricNames.stream().anyMatch(n -> n.contains(run.jobId().toString()) || n.contains("midstream-orders")),
                "the job's metrics are listed");
        assertNoRawPiiIn("metric names", metricNames, scenario);
        assertTrue(logLines.size() > 50, "logs were captured: " + logLines.size());
        assertTrue(scenario.events.size() >= 10_000, "at least 10,000 records: " + scenario.events.size());

        try (Connection c = run.db().connect()) {
            MapAssert.assertSameEntries("orders table", scenario.expectedTable(), OrdersScenario.actualTable(c));
            MapAssert.assertSameEntries("dead_letters table", scenario.expectedDeadLetters(), OrdersScenario.actualDeadLetters(c));
            assertNoRawEmailIn(c, scenario.rawEmails());
            assertDeadLettersCarryPayloadAndReason(c);
        }

        List<ConsumerRecord<byte[], byte[]>> topicLetters =
                KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), run.topic() + ".dead-letters", Duration.ofSeconds(30));
        Set<String> topicPositions = topicLetters.stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8).replace(run.topic() + "-", ""))
                .collect(Collectors.toSet());
        assertEquals(scenario.expectedDeadLetters().keySet(), topicPositions);
        assertEquals(scenario.expectedDeadLetters().size(), topicLetters.size(), "a clean run writes each dead letter once");

        Map<String, Long> metrics = midstreamCounters(run.jobId());
        long read = metrics.get("read");
        assertEquals(scenario.events.size(), read);
        assertEquals(scenario.count(Outcome.WRITTEN), metrics.get("written"));
        assertEquals(scenario.count(Outcome.DUPLICATE), metrics.get("dedup.duplicate"));
        assertEquals(scenario.count(Outcome.STALE), metrics.get("dedup.stale"));
        assertEquals(scenario.count(Outcome.REJECTED), metrics.get("rejected"));
        assertEquals(read, metrics.get("written") + metrics.get("rejected") + metrics.get("deduplicated"),
                "read = written + rejected + deduplicated");
        Map<String, Long> byRule = new TreeMap<>();
        metrics.forEach((k, v) -> {
            if (k.matches("[a-z]+\\.rejected\\..+")) {
                byRule.put(k.replace(".rejected.", "/"), v);
            }
        });
        MapAssert.assertSameEntries("rejects by rule", scenario.expectedRejectsByRule(), byRule);
    }

    @Test
    void taskFailureAfterACheckpointEndsWithTheSameTable() throws Exception {
        Run run = run(2, "faulty", true);
        OrdersScenario scenario = run.scenario();
        try (Connection c = run.db().connect()) {
            MapAssert.assertSameEntries("orders table", scenario.expectedTable(), OrdersScenario.actualTable(c));
            MapAssert.assertSameEntries("dead_letters table", scenario.expectedDeadLetters(), OrdersScenario.actualDeadLetters(c));
        }
    }

    @Test
    void statementsInsteadOfCopyEndWithTheSameTableAcrossAFailure() throws Exception {
        Run run = run(new OrdersScenario(3, ORDERS), "statements", true, true, Database.POSTGRESQL,
                Map.of("midstream.sink.write-method", "statement"));
        OrdersScenario scenario = run.scenario();
        try (Connection c = run.db().connect()) {
            MapAssert.assertSameEntries("orders table", scenario.expectedTable(), OrdersScenario.actualTable(c));
        }
    }

    @Test
    void theQualityHistoryIsExactAcrossAFailureWhereFlinksCountersAreNot() throws Exception {
        Run clean = run(6, "history_clean", false);
        Run faulty = run(6, "history_faulty", true);
        Map<String, Long> expected = expectedHistory(clean.scenario());
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("rejected|validation|"))
                && expected.keySet().stream().anyMatch(k -> k.startsWith("deduplicated|dedup|stale|")),
                "the data has rejects and stale versions: " + expected.keySet());
        try (Connection c = clean.db().connect(); Connection f = faulty.db().connect()) {
            MapAssert.assertSameEntries("history of the fault-free run vs the generated data", expected, history(c));
            MapAssert.assertSameEntries("history across a failure vs the generated data", expected, history(f));
            try (Statement s = f.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(DISTINCT checkpoint_id), count(DISTINCT run_id), min(checkpoint_id) FROM dq_counts")) {
                rs.next();
                assertTrue(rs.getLong(1) > 1, "written per checkpoint: " + rs.getLong(1) + " checkpoints");
                assertEquals(1, rs.getLong(2), "one run across the restart");
                assertTrue(rs.getLong(3) > 0, "every row belongs to a completed checkpoint");
            }
        }
        // Every attempt's read counters (the reporter keeps those of the failed attempt): the replay counts twice.
        long flinkRead = midstreamCounters(faulty.jobId()).get("read");
        assertTrue(flinkRead > faulty.scenario().events.size(), "Flink's counters count the replay after the restart"
                + " again: " + flinkRead + " read for " + faulty.scenario().events.size() + " records");
    }

    /**
     * "measure|stage|rule|partition" → records, from what the generator says each event must become, and the empty
     * optional columns of the rows written.
     */
    private static Map<String, Long> expectedHistory(OrdersScenario scenario) {
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < scenario.events.size(); i++) {
            dev.midstream.testkit.orders.GeneratedEvent e = scenario.events.get(i);
            String partition = scenario.positions.get(i).substring(0, scenario.positions.get(i).indexOf('@'));
            expected.merge("read|||" + partition, 1L, Long::sum);
            String outcome = switch (e.outcome()) {
                case WRITTEN -> "written||";
                case DUPLICATE -> "deduplicated|dedup|duplicate";
                case STALE -> "deduplicated|dedup|stale";
                case REJECTED -> "rejected|" + e.stage() + "|" + e.rule();
            };
            expected.merge(outcome + "|" + partition, 1L, Long::sum);
            if (e.outcome() == dev.midstream.testkit.orders.Outcome.WRITTEN) {
                // written rows whose optional columns are empty, per field
                if (e.order().phoneDigits() == null) {
                    expected.merge("null_field||customer_phone|" + partition, 1L, Long::sum);
                }
                if (e.order().channel() == null) {
                    expected.merge("null_field||channel|" + partition, 1L, Long::sum);
                }
            }
        }
        return expected;
    }

    private static Map<String, Long> history(Connection c) throws Exception {
        Map<String, Long> sums = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT measure, stage, rule,"
                + " source_partition, sum(records) FROM dq_counts WHERE pipeline = 'orders'"
                + " GROUP BY measure, stage, rule, source_partition")) {
            while (rs.next()) {
                sums.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getInt(4),
                        rs.getLong(5));
            }
        }
        return sums;
    }

    @Test
    void onMariaDbTheTableAndDeadLettersAreExactlyTheSameWithAndWithoutAFailure() throws Exception {
        for (boolean fault : List.of(false, true)) {
            Run run = run(new OrdersScenario(fault ? 5 : 4, ORDERS), "mariadb_" + fault, fault, true, Database.MARIADB);
            OrdersScenario scenario = run.scenario();
            try (Connection c = run.db().connect()) {
                MapAssert.assertSameEntries("orders table in MariaDB" + (fault ? " after a failure" : ""),
                        scenario.expectedTable(), OrdersScenario.actualTable(c));
                MapAssert.assertSameEntries("dead_letters table in MariaDB", scenario.expectedDeadLetters(),
                        OrdersScenario.actualDeadLetters(c));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM dead_letters WHERE reason = '' OR (payload IS NULL AND rule <> 'null_value')")) {
                    rs.next();
                    assertEquals(0, rs.getLong(1), "every dead letter has its reason, and its payload unless a tombstone's");
                }
            }
        }
    }

    @Test
    void hostileInputNeverFailsTheJobAndEveryRecordIsAccountedFor() throws Exception {
        OrdersScenario scenario = new OrdersScenario(3, 1000);
        List<dev.midstream.testkit.orders.GeneratedEvent> hostile = HostileCorpus.insertInto(scenario, 11);
        // No restarts: a hostile record that failed a task would fail the job and this test.
        Run run = run(scenario, "hostile", false, false);

        try (Connection c = run.db().connect()) {
            MapAssert.assertSameEntries("orders table", scenario.expectedTable(), OrdersScenario.actualTable(c));
            MapAssert.assertSameEntries("dead_letters table", scenario.expectedDeadLetters(), OrdersScenario.actualDeadLetters(c));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM dead_letters WHERE rule = 'payload_too_large' AND payload_truncated"
                            + " AND payload_size > 2000000 AND octet_length(payload) <= 65536")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the 2 MB record is kept truncated, with its size");
            }
        }
        Map<String, Long> metrics = midstreamCounters(run.jobId());
        assertEquals(scenario.events.size(), metrics.get("read"));
        assertEquals(metrics.get("read"), metrics.get("written") + metrics.get("rejected") + metrics.get("deduplicated"));
        assertTrue(hostile.size() >= 20, "corpus size " + hostile.size());
    }

    /** No generated email, and no phone number (as digits), appears anywhere in {@code texts}. */
    private static void assertNoRawPiiIn(String what, List<String> texts, OrdersScenario scenario) {
        List<String> secrets = new java.util.ArrayList<>(scenario.rawEmails());
        scenario.winners.values().stream().map(o -> o.phoneDigits()).filter(java.util.Objects::nonNull)
                .forEach(p -> secrets.add(p.substring(1))); // without the country code, as it may be formatted
        for (String text : texts) {
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            for (String secret : secrets) {
                assertFalse(lower.contains(secret), what + " leak PII: " + text);
            }
        }
    }

    private static void assertNoRawEmailIn(Connection c, List<String> emails) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT orders::text FROM orders")) {
            while (rs.next()) {
                String row = rs.getString(1);
                assertFalse(row.contains("@"), "no email-like text in " + row);
            }
        }
        assertFalse(emails.isEmpty());
    }

    private static void assertDeadLettersCarryPayloadAndReason(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FILTER (WHERE reason = ''), count(*) FILTER (WHERE payload IS NULL AND rule <> 'null_value'),"
                        + " count(*) FILTER (WHERE payload_truncated), count(*) FILTER (WHERE rule = 'payload_too_large')"
                        + " FROM dead_letters")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "every dead letter has a reason");
            assertEquals(0, rs.getLong(2), "every dead letter but a tombstone's keeps its payload");
            assertEquals(rs.getLong(4), rs.getLong(3), "exactly the oversized payloads are truncated");
        }
    }

    private static Map<String, Long> midstreamCounters(JobID job) {
        return JobCounters.of(METRICS, job);
    }
}
