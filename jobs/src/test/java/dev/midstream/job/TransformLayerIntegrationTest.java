package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.aggregate.WindowSpec;
import dev.midstream.config.CleanseConfig;
import dev.midstream.config.ConfigSource;
import dev.midstream.enrich.EnrichSpec;
import dev.midstream.layer.TransformSpec;
import dev.midstream.layer.TransformTopology;
import dev.midstream.pipeline.PipelineSpec;
import dev.midstream.pipeline.SinkSpec;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.RecordTable;
import dev.midstream.sink.SqlIdentifier;
import dev.midstream.source.CleanTopicSource;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.testkit.orders.CanonicalOrder;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.Outcome;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
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
    private static final Duration LATENESS = Duration.ofMinutes(1);
    private static final long MINUTE = 60_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir
    Path dir;

    @org.junit.jupiter.params.ParameterizedTest(name = "injected failure: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void ordersAndCustomersFlowFromRawTopicsToAggregateTables(boolean injectFailure) throws Exception {
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

        TestDatabase db = POSTGRES.newDatabase("transform_" + injectFailure);
        Map<String, String> options = OrdersScenario.jobOptions(KAFKA.bootstrapServers(), rawOrders, db.jdbcUrl());
        options.put("midstream.sink.create-tables", "true");
        CleanseConfig config = CleanseConfig.load(ConfigSource.of(options, "test"), OrdersScenario.env()::get);
        List<PipelineSpec> cleanse = PipelinesJob.read(List.of(
                PipelineFiles.copy(PipelineFiles.ORDERS, java.nio.file.Files.createDirectories(dir.resolve("orders")), Map.of(
                        "[ods.orders]", "[" + rawOrders + "]", "ods.orders.dead-letters", rawOrders + ".dead-letters",
                        "  table: orders\n", "  table: orders\n  topic: " + dwdOrders + "\n")),
                PipelineFiles.copy(PipelineFiles.CUSTOMERS, java.nio.file.Files.createDirectories(dir.resolve("customers")), Map.of(
                        "[ods.customers]", "[" + rawCustomers + "]", "dlq.customers", customersDlq,
                        "  table: customers\n", "  table: customers\n  topic: " + dwdCustomers + "\n"))),
                OrdersScenario.env()::get);
        PipelinesJob.start(environment(2, false), config, cleanse).getJobExecutionResult().get(3, TimeUnit.MINUTES);

        TransformSpec spec = spec(dwdOrders, dwdCustomers);
        try (Connection c = db.connect()) {
            new RecordTable(spec.wideTable()).create(c);
            new RecordTable(spec.aggregates().get(0).table()).create(c);
            new DeadLetterTable(SqlIdentifier.of(spec.deadLetterTable())).create(c);
        }
        StreamExecutionEnvironment env = environment(1, injectFailure);
        String fault = "transform-" + System.nanoTime();
        TransformTopology.build(env, spec,
                topic -> CleanTopicSource.of(KAFKA.bootstrapServers(), topic, "transform-test-" + injectFailure, true),
                (rows, table, uid, name) -> (injectFailure && table.table().equals("orders_enriched")
                        ? rows.map(new FailOnceAfterCheckpoint<>(fault, 5)).returns(rows.getType())
                                .uid("test/fault").name("test: fail once after a checkpoint")
                        : rows).sinkTo(ProductionSinks.recordTable(config, table)).uid(uid).name(name),
                letters -> letters.sinkTo(ProductionSinks.deadLetterTable(config, spec.deadLetterTable()))
                        .uid("transform/dead-letters").name("transform: dead letters"));
        env.execute("transform-layer-test");
        assertEquals(injectFailure, FailOnceAfterCheckpoint.FAILED.getOrDefault(fault, false), "the injected failure happened");

        Reference expected = reference(KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), dwdOrders, Duration.ofSeconds(30)));
        assertTrue(expected.late.size() > 0 && expected.windows.size() > 5, "the data has late events and many windows: "
                + expected.late.size() + " late, " + expected.windows.size() + " windows");
        long missingCustomers = orders.winners.values().stream().filter(o -> !customers.containsKey(o.customerId())).count();
        System.out.printf("Transform layer: %d windows, %d late records, %d orders (%d without customer)%n",
                expected.windows.size(), expected.late.size(), orders.winners.size(), missingCustomers);
        assertTrue(missingCustomers > 0, "some orders' customers never arrive");
        try (Connection c = db.connect()) {
            assertEquals(expected.windows, rows(c, "SELECT currency || ' ' || to_char(window_start AT TIME ZONE 'UTC',"
                    + " 'YYYY-MM-DD\"T\"HH24:MI'), records || ' ' || sum_amount || ' ' || distinct_customer_id"
                    + " FROM revenue_per_minute"));
            assertEquals(expected.late, rows(c, "SELECT source_offset::text, stage || '/' || rule FROM transform_dead_letters"));
            Map<String, String> wide = new TreeMap<>();
            orders.winners.forEach((id, o) -> {
                String[] customer = customers.get(o.customerId());
                wide.put(id, o.customerId() + " " + (customer == null ? "null null true" : customer[0] + " " + customer[1] + " false"));
            });
            assertEquals(wide, rows(c, "SELECT order_id, customer_id || ' ' || coalesce(customer_tier, 'null') || ' '"
                    + " || coalesce(customer_city, 'null') || ' ' || customer_missing FROM orders_enriched"));
        }
    }

    private record Reference(Map<String, String> windows, Map<String, String> late) {}

    /** What the job must produce, from the clean topic in the order the job reads it, watermark after each record. */
    private static Reference reference(List<ConsumerRecord<byte[], byte[]>> clean) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> sums = new HashMap<>();
        Map<String, Set<String>> distinct = new HashMap<>();
        Map<String, String> late = new TreeMap<>();
        long watermark = Long.MIN_VALUE;
        long max = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> record : clean) {
            JsonNode row = json.readTree(record.value());
            long ts = Instant.parse(row.path("event_time").asText()).toEpochMilli();
            long start = Math.floorDiv(ts, MINUTE) * MINUTE;
            if (start + MINUTE - 1 + LATENESS.toMillis() <= watermark) {
                late.put(Long.toString(record.offset()), "late/window_closed");
            } else {
                String window = row.path("currency").asText() + " " + Instant.ofEpochMilli(start).toString().substring(0, 16);
                counts.computeIfAbsent(window, k -> new long[1])[0]++;
                sums.merge(window, new BigDecimal(row.path("amount").asText()), BigDecimal::add);
                distinct.computeIfAbsent(window, k -> new HashSet<>()).add(row.path("customer_id").asText());
            }
            if (ts > max) {
                max = ts;
                watermark = max - OUT_OF_ORDERNESS.toMillis() - 1;
            }
        }
        Map<String, String> windows = new TreeMap<>();
        counts.forEach((w, n) -> windows.put(w, n[0] + " " + sums.get(w).setScale(3, RoundingMode.UNNECESSARY).toPlainString()
                + " " + distinct.get(w).size()));
        return new Reference(windows, late);
    }

    private static TransformSpec spec(String dwdOrders, String dwdCustomers) {
        EnrichSpec enrich = new EnrichSpec("customer", List.of("customer_id"), List.of("customer_id"),
                Map.of("customer_tier", "tier", "customer_city", "city"), "updated_at", Duration.ofMinutes(10),
                EnrichSpec.OnMissing.EMIT, "customer_missing");
        SinkSpec wide = new SinkSpec("orders_enriched", List.of("order_id"), List.of(
                new SinkSpec.Column("order_id", "order_id", "text"),
                new SinkSpec.Column("customer_id", "customer_id", "text"),
                new SinkSpec.Column("event_time", "event_time", "timestamptz"),
                new SinkSpec.Column("customer_tier", "customer_tier", "text"),
                new SinkSpec.Column("customer_city", "customer_city", "text"),
                new SinkSpec.Column("customer_missing", "customer_missing", "boolean")),
                SinkSpec.Upsert.NEWER, "event_time", null);
        WindowSpec window = WindowSpec.tumbling("revenue_per_minute", List.of("currency"), "event_time",
                Duration.ofMinutes(1), LATENESS, "amount", "customer_id");
        SinkSpec aggregates = new SinkSpec("revenue_per_minute", List.of("currency", "window_start"), List.of(
                new SinkSpec.Column("currency", "currency", "text"),
                new SinkSpec.Column("window_start", "window_start", "timestamptz"),
                new SinkSpec.Column("window_end", "window_end", "timestamptz"),
                new SinkSpec.Column("records", "records", "bigint"),
                new SinkSpec.Column("sum_amount", "sum_amount", "numeric(18,3)"),
                new SinkSpec.Column("distinct_customer_id", "distinct_customer_id", "bigint")),
                SinkSpec.Upsert.ALWAYS, null, null);
        return new TransformSpec("orders_by_minute", dwdOrders, Set.of("event_time"), dwdCustomers,
                Set.of("updated_at"), OUT_OF_ORDERNESS, Duration.ofSeconds(5), true, enrich, wide,
                List.of(new TransformSpec.Aggregate(window, aggregates)), "transform_dead_letters");
    }

    private StreamExecutionEnvironment environment(int parallelism, boolean restarts) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints-" + parallelism + "-" + restarts).toUri().toString());
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restarts ? "fixed-delay" : "none");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
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
