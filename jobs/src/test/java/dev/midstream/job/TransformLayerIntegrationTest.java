package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.engine.Connectors;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.model.Database;
import dev.midstream.model.JobSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.WindowSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.testkit.orders.CanonicalOrder;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.Outcome;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Raw → cleanse → enrich → aggregate on real Kafka and PostgreSQL: the orders and customers data sets are
 * cleansed into exactly-once clean topics, and the transform job joins orders with customers (some customers
 * arrive after their orders, some never) and aggregates revenue per currency per minute with late data. The
 * tables must equal a plain-Java reference computed from the clean topic in the order the job reads it.
 */
class TransformLayerIntegrationTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final dev.midstream.testkit.MariaDbExtension MARIADB = new dev.midstream.testkit.MariaDbExtension();

    @TempDir
    Path dir;

    @org.junit.jupiter.params.ParameterizedTest(name = "injected failure: {0}, {1}")
    @org.junit.jupiter.params.provider.CsvSource({"false, POSTGRESQL", "true, POSTGRESQL", "true, MARIADB"})
    void ordersAndCustomersFlowFromRawTopicsToAggregateTables(boolean injectFailure, Database database)
            throws Exception {
        boolean maria = database == Database.MARIADB;
        OrdersScenario orders = new OrdersScenario(7, 1500);
        String rawOrders = KAFKA.uniqueTopic("raw-orders", 2);
        String rawCustomers = KAFKA.uniqueTopic("raw-customers", 1);
        String dwdOrders = KAFKA.uniqueTopic("dwd-orders", 1);
        String dwdCustomers = KAFKA.uniqueTopic("dwd-customers", 1);
        KAFKA.createTopic(rawOrders + ".dead-letters", 1);
        String customersDlq = KAFKA.uniqueTopic("dlq-customers", 1);
        orders.produceTo(KAFKA.bootstrapServers(), rawOrders);

        // Customers: one version each; every seventh customer never arrives.
        Map<String, String[]> customers = new TreeMap<>();
        for (CanonicalOrder o : orders.events.stream().filter(e -> e.outcome() == Outcome.WRITTEN)
                .map(GeneratedEvent::order).toList()) {
            int h = Math.floorMod(o.customerId().hashCode(), 1000);
            if (h % 7 != 0) {
                customers.put(o.customerId(), new String[] {List.of("standard", "gold", "platinum").get(h % 3), "City-" + h % 5});
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            for (Map.Entry<String, String[]> c : customers.entrySet()) {
                String json = "{\"customer_id\":\"" + c.getKey() + "\",\"email\":\"" + c.getKey().toLowerCase()
                        + "@example.com\",\"tier\":\"" + c.getValue()[0] + "\",\"updated_at\":\"2024-01-01T00:00:00Z\","
                        + "\"address\":{\"city\":\"" + c.getValue()[1] + "\",\"country\":\"DE\"}}";
                producer.send(new ProducerRecord<>(rawCustomers, json.getBytes(StandardCharsets.UTF_8)));
            }
        }

        TestDatabase db = maria ? MARIADB.newDatabase("transform_" + injectFailure)
                : POSTGRES.newDatabase("transform_" + injectFailure);
        Map<String, String> options = OrdersScenario.jobOptions(KAFKA.bootstrapServers(), rawOrders, db.jdbcUrl());
        options.put("midstream.sink.create-tables", "true");
        // The payload policy holds for the transform layer's dead letters too (its inputs are masked clean records).
        options.put("midstream.deadletter.payload", injectFailure ? "raw" : "drop");
        JobOptions config = TestJobs.options(options);
        JobSpec cleanse = JobFiles.pipelines(List.of(
                PipelineFiles.copy(PipelineFiles.ORDERS, java.nio.file.Files.createDirectories(dir.resolve("orders")), Map.of(
                        "[ods.orders]", "[" + rawOrders + "]", "ods.orders.dead-letters", rawOrders + ".dead-letters",
                        "  topic: dwd.orders\n", "  topic: " + dwdOrders + "\n")),
                PipelineFiles.copy(PipelineFiles.CUSTOMERS, java.nio.file.Files.createDirectories(dir.resolve("customers")), Map.of(
                        "[ods.customers]", "[" + rawCustomers + "]", "dlq.customers", customersDlq,
                        "  topic: dwd.customers\n", "  topic: " + dwdCustomers + "\n"))),
                OrdersScenario.env()::get);
        try (CapturedLogs logs = new CapturedLogs()) {
            TestJobs.start(environment(2, false), config, cleanse).getJobExecutionResult().get(3, TimeUnit.MINUTES);
            assertCleanTopicComplete(dwdOrders, orders.count(Outcome.WRITTEN), db, "orders", logs);
            assertCleanTopicComplete(dwdCustomers, customers.size(), db, "customers", logs);
        }

        LayerSpec spec = JobFiles.transforms(List.of(PipelineFiles.copy(PipelineFiles.SALES,
                java.nio.file.Files.createDirectories(dir.resolve("sales")), Map.of(
                        "topic: dwd.orders ", "topic: " + dwdOrders + " ",
                        "topic: dwd.customers ", "topic: " + dwdCustomers + " ",
                        // replays must decide lateness as the first run did, to compare with the reference
                        "idleness: 1min", "idleness: 5s\n  per_event: true")))).layers().get(0);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE currency_rates (currency " + (maria ? "varchar(3)" : "text")
                    + " PRIMARY KEY, rate_to_eur numeric(18,8) NOT NULL)");
            for (Map.Entry<String, String> rate : RATES.entrySet()) {
                s.execute("INSERT INTO currency_rates VALUES ('" + rate.getKey() + "', " + rate.getValue() + ")");
            }
        }
        String fault = "transform-" + System.nanoTime();
        Connectors connectors = KafkaJdbcConnectors.of(config);
        TestJobs.start(environment(1, injectFailure), config, JobSpec.ofLayers(List.of(spec)), injectFailure
                        ? new FaultyTables(connectors, fault, table -> table.table().equals("orders_enriched"))
                        : connectors)
                .getJobExecutionResult().get(5, TimeUnit.MINUTES);
        assertEquals(injectFailure, FailOnceAfterCheckpoint.FAILED.getOrDefault(fault, false), "the injected failure happened");

        List<ConsumerRecord<byte[], byte[]>> cleanOrders = KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), dwdOrders,
                Duration.ofSeconds(30));
        Reference expected = reference(cleanOrders, spec.aggregates().stream().map(LayerSpec.Aggregate::window).toList());
        Map<String, String> minutes = expected.windows.get("revenue_per_minute");
        Map<String, String> hours = expected.windows.get("revenue_per_hour");
        assertTrue(expected.late.size() > 0 && minutes.size() > 5 && hours.size() > minutes.size() / 20,
                "the data has late events and many windows: " + expected.late.size() + " late, " + minutes.size()
                        + " minute and " + hours.size() + " hour windows");
        long missingCustomers = orders.winners.values().stream().filter(o -> !customers.containsKey(o.customerId())).count();
        System.out.printf("Transform layer: %d minute windows, %d hour windows, %d late dead letters, %d orders (%d"
                + " without customer)%n", minutes.size(), hours.size(), expected.late.size(), orders.winners.size(),
                missingCustomers);
        assertTrue(missingCustomers > 0, "some orders' customers never arrive");
        try (Connection c = db.connect()) {
            for (String window : List.of("revenue_per_minute", "revenue_per_hour")) {
                assertEquals(expected.windows.get(window), rows(c, maria
                        ? "SELECT concat(currency, ' ', date_format(window_start, '%Y-%m-%dT%H:%i')), concat_ws(' ',"
                                + " records, sum_amount, distinct_customer_id) FROM " + window
                        : "SELECT currency || ' ' || to_char(window_start AT TIME"
                        + " ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI'), records || ' ' || sum_amount || ' ' || distinct_customer_id"
                        + " FROM " + window), window + " in " + database.displayName());
            }
            assertEquals(expected.late, rows(c, maria ? "SELECT concat(source_offset, ' ', stage), rule FROM sales_dead_letters"
                    : "SELECT source_offset || ' ' || stage, rule FROM sales_dead_letters"));
            // The quality history counts the layer's rejects per step exactly, with or without the failure.
            Map<String, Long> lateByStep = new TreeMap<>();
            expected.late.forEach((position, rule) -> lateByStep.merge(position.substring(position.indexOf(' ') + 1)
                    + " " + rule, 1L, Long::sum));
            Map<String, Long> history = new TreeMap<>();
            try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery("SELECT stage, rule,"
                    + " sum(records) FROM dq_counts WHERE pipeline = 'sales' AND measure = 'rejected' GROUP BY stage, rule")) {
                while (r.next()) {
                    history.put(r.getString(1) + " " + r.getString(2), r.getLong(3));
                }
            }
            assertEquals(lateByStep, history, "the history's late records per window");
            // Facts that went on without their row (on_missing: keep / emit) are counted per step, exactly.
            Map<String, Long> unmatched = new TreeMap<>();
            JsonMapper json = JsonMapper.builder().build();
            for (ConsumerRecord<byte[], byte[]> fact : cleanOrders) {
                JsonNode row = json.readTree(fact.value());
                if (!RATES.containsKey(row.path("currency").asText())) {
                    unmatched.merge("enrich:eur_rate lookup_missing", 1L, Long::sum);
                }
                if (!customers.containsKey(row.path("customer_id").asText())) {
                    unmatched.merge("enrich:customer dimension_missing", 1L, Long::sum);
                }
            }
            Map<String, Long> unmatchedHistory = new TreeMap<>();
            try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery("SELECT stage, rule,"
                    + " sum(records) FROM dq_counts WHERE pipeline = 'sales' AND measure = 'unmatched' GROUP BY stage, rule")) {
                while (r.next()) {
                    unmatchedHistory.put(r.getString(1) + " " + r.getString(2), r.getLong(3));
                }
            }
            assertEquals(2, unmatched.size(), "the data has facts without a rate and without a customer: " + unmatched);
            assertEquals(unmatched, unmatchedHistory, "the history's facts without their lookup or dimension row");
            assertEquals(injectFailure ? 0 : expected.late.size(), rows(c, "SELECT " + (maria
                    ? "concat(source_offset, ' ', stage)" : "source_offset || ' ' || stage")
                    + ", payload_size FROM sales_dead_letters WHERE octet_length(payload) = 0 AND payload_size > 0").size(),
                    "with midstream.deadletter.payload=drop every dead letter keeps its payload's size only");
            Map<String, String> wide = new TreeMap<>();
            orders.winners.forEach((id, o) -> {
                String[] customer = customers.get(o.customerId());
                wide.put(id, o.customerId() + " " + RATES.getOrDefault(o.currency(), "null") + " "
                        + (customer == null ? "null null null true" : customer[0] + " " + customer[1] + " DE false"));
            });
            assertEquals(wide, rows(c, maria ? "SELECT order_id, concat_ws(' ', customer_id, coalesce(eur_rate, 'null'),"
                    + " coalesce(customer_tier, 'null'), coalesce(customer_city, 'null'), coalesce(customer_country, 'null'),"
                    + " IF(customer_missing, 'true', 'false')) FROM orders_enriched"
                    : "SELECT order_id, customer_id || ' ' || coalesce(eur_rate::text, 'null') || ' '"
                    + " || coalesce(customer_tier, 'null') || ' ' || coalesce(customer_city, 'null') || ' '"
                    + " || coalesce(customer_country, 'null') || ' ' || customer_missing FROM orders_enriched"));
        }
    }

    /**
     * The layer reads what the cleanse job committed; a short clean topic would make every later comparison
     * misleading, so it is checked first, and the message says where the records went: aborted transactions (the
     * read_uncommitted count), or never written (the table the same job wrote).
     */
    private static void assertCleanTopicComplete(String topic, long expected, TestDatabase db, String table,
            CapturedLogs logs) throws Exception {
        int committed = KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), topic, Duration.ofSeconds(60)).size();
        if (committed == expected) {
            return;
        }
        int all = KafkaTestClients.consumeAllUncommitted(KAFKA.bootstrapServers(), topic, Duration.ofSeconds(60)).size();
        long rows;
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            rows = r.getLong(1);
        }
        org.junit.jupiter.api.Assertions.fail("the cleanse job committed " + committed + " of " + expected
                + " records to " + topic + "; read_uncommitted sees " + all + "; its table " + table + " has " + rows
                + " rows; open transactions: " + KafkaTestClients.openTransactions(KAFKA.bootstrapServers(),
                List.of(new org.apache.kafka.common.TopicPartition(topic, 0))) + "; the job's log on transactions: "
                + logs.lines().stream().filter(l -> l.matches("(?is).*(transaction|commit|abort|fenced|lost).*"))
                        .limit(40).toList());
    }

    /** Rates for every currency but KWD: orders in KWD keep an empty eur_rate ({@code on_missing: keep}). */
    private static final Map<String, String> RATES = Map.of("CHF", "1.04000000", "CNY", "0.13000000",
            "EUR", "1.00000000", "GBP", "1.17000000", "JPY", "0.00610000", "KRW", "0.00068000", "USD", "0.92000000");

    /** Per window id: group and start → count, sum, distinct customers; and the late dead letters. */
    private record Reference(Map<String, Map<String, String>> windows, Map<String, String> late) {}

    /** What the job must produce, from the clean topic in the order the job reads it, watermark after each record. */
    private static Reference reference(List<ConsumerRecord<byte[], byte[]>> clean, List<WindowSpec> specs) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Map<String, String>> windows = new TreeMap<>();
        Map<String, String> late = new TreeMap<>();
        for (WindowSpec spec : specs) {
            long size = spec.size().toMillis();
            long slide = spec.slide().toMillis();
            Map<String, long[]> counts = new TreeMap<>();
            Map<String, BigDecimal> sums = new HashMap<>();
            Map<String, Set<String>> distinct = new HashMap<>();
            long watermark = Long.MIN_VALUE;
            long max = Long.MIN_VALUE;
            for (ConsumerRecord<byte[], byte[]> record : clean) {
                JsonNode row = json.readTree(record.value());
                long ts = Instant.parse(row.path("event_time").asText()).toEpochMilli();
                boolean counted = false;
                for (long start = Math.floorDiv(ts, slide) * slide; start > ts - size; start -= slide) {
                    if (start + size - 1 + spec.allowedLateness().toMillis() <= watermark) {
                        continue;
                    }
                    String window = row.path("currency").asText() + " " + Instant.ofEpochMilli(start).toString().substring(0, 16);
                    counts.computeIfAbsent(window, k -> new long[1])[0]++;
                    sums.merge(window, new BigDecimal(row.path("amount").asText()), BigDecimal::add);
                    distinct.computeIfAbsent(window, k -> new HashSet<>()).add(row.path("customer_id").asText());
                    counted = true;
                }
                if (!counted) {
                    late.put(record.offset() + " late:" + spec.id(), "window_closed");
                }
                if (ts > max) {
                    max = ts;
                    watermark = max - OUT_OF_ORDERNESS.toMillis() - 1;
                }
            }
            Map<String, String> rows = new TreeMap<>();
            counts.forEach((w, n) -> rows.put(w, n[0] + " " + sums.get(w).setScale(3, RoundingMode.UNNECESSARY)
                    .toPlainString() + " " + distinct.get(w).size()));
            windows.put(spec.id(), rows);
        }
        return new Reference(windows, late);
    }

    private StreamExecutionEnvironment environment(int parallelism, boolean restarts) {
        return TestEnvironments.checkpointed(dir.resolve("checkpoints-" + parallelism + "-" + restarts), parallelism,
                Duration.ofMillis(100), restarts);
    }

    private static Map<String, String> rows(Connection c, String sql) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.put(r.getString(1), r.getString(2));
            }
        }
        return rows;
    }
}
