package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.model.JobSpec;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
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

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Three data sets declared only in pipeline files (the orders scenario of the foundation; customers: nested
 * address, rules of every kind, dedup by version, a user function from the example jar, a mapping step, PII;
 * payments: a built-in function that rejects) run in one job on a MiniCluster against the real broker and database. Every record is accounted
 * for, and the tables and dead letters are exactly what the inputs call for.
 */
class PipelinesJobIntegrationTest {
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

    static final List<String> CUSTOMERS = List.of(
            // 0: c1 version 1, written then replaced by 2
            """
            {"customer_id":"c1","email":" Ada@Example.COM ","phone":"+1 (415) 555-0123","full_name":"Ada   Lovelace",
             "tier":"GOLD","credit_limit":1000.5,"updated_at":"2024-01-01T10:00:00Z",
             "address":{"street":"1 Main St","city":"London","country":"gb"}}""",
            // 1: the same again: a duplicate
            """
            {"customer_id":"c1","email":" Ada@Example.COM ","phone":"+1 (415) 555-0123","full_name":"Ada   Lovelace",
             "tier":"GOLD","credit_limit":1000.5,"updated_at":"2024-01-01T10:00:00Z",
             "address":{"street":"1 Main St","city":"London","country":"gb"}}""",
            // 2: c1 version 2 (+08:00 is 2024-01-02T02:00Z)
            """
            {"customer_id":"c1","email":"ada@example.com","phone":"4155550123","full_name":"Ada Lovelace",
             "tier":"platinum","credit_limit":2000,"updated_at":"2024-01-02T10:00:00+08:00",
             "address":{"street":"1 Main St","city":"London","country":"GB"}}""",
            // 3: c1 older than anything seen: stale
            """
            {"customer_id":"c1","email":"ada@example.com","full_name":"Ada","updated_at":"2023-12-31T00:00:00Z",
             "address":{"city":"London"}}""",
            // 4: c2, defaults and a missing country
            """
            {"customer_id":"c2","email":"bob@mail.org","updated_at":1704103200000,"address":{"city":"  Paris  "}}""",
            // 5..11: rejected by validation
            """
            {"customer_id":"c3","email":"not-an-email","updated_at":"2024-01-01T00:00:00Z","address":{"city":"X"}}""",
            """
            {"customer_id":"c4","email":"c4@mail.org","updated_at":"2024-01-01T00:00:00Z","address":{"street":"s"}}""",
            """
            {"customer_id":"c5","email":"c5@mail.org","credit_limit":"lots","updated_at":"2024-01-01T00:00:00Z",
             "address":{"city":"X"}}""",
            """
            {"customer_id":"c6","email":"c6@mail.org","updated_at":"2024-01-01T00:00:00Z",
             "address":{"city":"X","country":"GBR"}}""",
            "not json at all",
            """
            {"customer_id":"c7","email":"c7@mail.org","tier":"bronze","updated_at":"2024-01-01T00:00:00Z",
             "address":{"city":"X"}}""",
            """
            {"customer_id":"c8","email":"c8@mail.org","full_name":"A","updated_at":"2024-01-01T00:00:00Z",
             "address":{"city":"X"}}""",
            // 12: c9 version 1, then 13: the same version with other content: a conflict
            """
            {"customer_id":"c9","email":"c9@mail.org","updated_at":"2024-03-01T00:00:00Z","address":{"city":"Rome","country":"it"}}""",
            """
            {"customer_id":"c9","email":"c9@mail.org","updated_at":"2024-03-01T00:00:00Z","address":{"city":"Milan","country":"it"}}""");

    static final List<String> PAYMENTS = List.of(
            """
            {"payment_id":"p1","amount":10.00,"currency":"usd","paid_at":"2024-05-01T12:00:00Z"}""",
            """
            {"payment_id":"p2","amount":20,"currency":"GBP","paid_at":"2024-05-01T12:00:01Z"}""",
            """
            {"payment_id":"p3","amount":5,"currency":"CHF","paid_at":"2024-05-01T12:00:02Z"}""",
            """
            {"payment_id":"p4","currency":"EUR","paid_at":"2024-05-01T12:00:03Z"}""");

    @Test
    void threePipelineFilesRunInOneJobAndAccountForEveryRecord() throws Exception {
        OrdersScenario orders = new OrdersScenario(5, 300);
        String ordersTopic = KAFKA.uniqueTopic("orders", 2);
        KAFKA.createTopic(ordersTopic + ".dead-letters", 1);
        orders.produceTo(KAFKA.bootstrapServers(), ordersTopic);
        String customersTopic = KAFKA.uniqueTopic("customers", 1);
        String paymentsTopic = KAFKA.uniqueTopic("payments", 1);
        String customersDlq = KAFKA.uniqueTopic("dlq-customers", 1);
        produce(customersTopic, CUSTOMERS);
        produce(paymentsTopic, PAYMENTS);
        TestDatabase db = POSTGRES.newDatabase("pipelines");

        JobSpec pipelines = JobFiles.pipelines(List.of(
                PipelineFiles.copy(PipelineFiles.ORDERS, dir,
                        PipelineFiles.withoutCleanTopic("orders", Map.of("[ods.orders]", "[" + ordersTopic + "]",
                                "ods.orders.dead-letters", ordersTopic + ".dead-letters"))),
                PipelineFiles.copy(PipelineFiles.CUSTOMERS, dir,
                        PipelineFiles.withoutCleanTopic("customers",
                                Map.of("[ods.customers]", "[" + customersTopic + "]", "dlq.customers", customersDlq))),
                PipelineFiles.copy(PipelineFiles.PAYMENTS, dir, Map.of("[ods.payments]", "[" + paymentsTopic + "]"))),
                OrdersScenario.env()::get);
        Map<String, String> options = OrdersScenario.jobOptions(KAFKA.bootstrapServers(), "unused", db.jdbcUrl());
        options.put("midstream.sink.create-tables", "true");
        JobClient client = TestJobs.start(environment(), TestJobs.options(options), pipelines);
        client.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        try (Connection c = db.connect()) {
            MapAssert.assertSameEntries("orders table", orders.expectedTable(), OrdersScenario.actualTable(c));
            MapAssert.assertSameEntries("orders dead letters", orders.expectedDeadLetters(),
                    OrdersScenario.actualDeadLetters(c));
            Map<String, String> customers = rows(c, "SELECT customer_id, email_hash, email_domain, phone_masked,"
                    + " full_name, tier, tier_rank, credit_limit, city, country, address::text, updated_at"
                    + " FROM customers ORDER BY customer_id");
            assertEquals(Map.of(
                    "c1", String.join("|", sha256("ada@example.com"), "example.com", "******0123", "Ada Lovelace",
                            "platinum", "3", "2000.00", "London", "GB", "{\"city\": \"London\", \"country\": \"GB\"}",
                            "2024-01-02 02:00:00+00"),
                    "c2", String.join("|", sha256("bob@mail.org"), "mail.org", "null", "null", "standard", "1", "null",
                            "Paris", "ZZ", "{\"city\": \"Paris\"}", "2024-01-01 10:00:00+00"),
                    "c9", String.join("|", sha256("c9@mail.org"), "mail.org", "null", "null", "standard", "1", "null",
                            "Rome", "IT", "{\"city\": \"Rome\", \"country\": \"IT\"}", "2024-03-01 00:00:00+00")),
                    customers);

            assertEquals(Map.of(
                    "5", "validation|email_format|email",
                    "6", "validation|address_city_required|address.city",
                    "7", "validation|credit_limit_type|credit_limit",
                    "8", "validation|country_code|address.country",
                    "9", "parse|malformed_json|null",
                    "10", "validation|tier_known|tier",
                    "11", "validation|name_length|full_name",
                    "13", "dedup|conflicting_version|null"),
                    rows(c, "SELECT source_offset, stage, rule, field FROM customers_dead_letters"));

            assertEquals(Map.of("p1", "9.00|2024-05-01 12:00:00+00", "p2", "23.00|2024-05-01 12:00:01+00"),
                    rows(c, "SELECT payment_id, amount_eur, paid_at FROM payments"));
            assertEquals(Map.of("2", "udf:to_eur|convert_currency|null", "3", "validation|amount_required|amount"),
                    rows(c, "SELECT source_offset, stage, rule, field FROM payments_dead_letters"));
            String reason = rows(c, "SELECT source_offset, reason FROM payments_dead_letters WHERE source_offset = 2")
                    .get("2");
            assertTrue(reason.contains("no rate for currency 'CHF' to EUR"), reason);
        }
        assertEquals(8, KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), customersDlq,
                java.time.Duration.ofSeconds(30)).size(), "customers dead letters on their topic");

        Map<String, Long> counters = midstreamCounters(client.getJobID());
        long read = orders.events.size() + CUSTOMERS.size() + PAYMENTS.size();
        assertEquals(read, counters.get("read"));
        assertEquals(orders.count(Outcome.WRITTEN) + 4 + 2, counters.get("written"), "orders; c1 twice, c2, c9; p1, p2");
        assertEquals(orders.count(Outcome.REJECTED) + 8 + 2, counters.get("rejected"));
        assertEquals(orders.count(Outcome.DUPLICATE) + orders.count(Outcome.STALE) + 2, counters.get("deduplicated"));
        assertEquals(read, counters.get("written") + counters.get("rejected") + counters.get("deduplicated"));
        assertEquals(1, counters.get("udf.rejected.to_eur"));
        assertFalse(counters.keySet().stream().anyMatch(k -> k.contains("@")), "no PII in metric names");
    }

    private static void produce(String topic, List<String> values) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value.replace("\n", "").getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    static StreamExecutionEnvironment environment() {
        return TestEnvironments.plain(2);
    }

    /** First column → the other columns joined with '|' (SQL null as "null"). */
    static Map<String, String> rows(Connection c, String sql) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder rest = new StringBuilder();
                for (int i = 2; i <= columns; i++) {
                    rest.append(i > 2 ? "|" : "").append(r.getString(i));
                }
                rows.put(r.getString(1), rest.toString());
            }
        }
        return rows;
    }

    static String sha256(String text) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(OrdersScenario.env().get("MIDSTREAM_PII_SALT").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Long> midstreamCounters(JobID job) {
        return JobCounters.of(METRICS, job);
    }
}
