package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.orders.CanonicalOrder;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;
import dev.midstream.testkit.orders.Outcome;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;

/**
 * A generated orders topic on the real broker, with what the job must make of it: the exact table rows and
 * the exact dead letters by source position. Expected values are computed here from the generator's canonical
 * orders, not with the job's code.
 */
final class OrdersScenario {
    static final ZoneId LOCAL_ZONE = ZoneId.of("Asia/Shanghai");
    static final int MAX_RECORD_BYTES = 64 * 1024;
    static final byte[] SALT = "integration-test-salt-0123456789".getBytes(StandardCharsets.UTF_8);

    private final MessyOrderGenerator generator;
    final List<GeneratedEvent> events = new ArrayList<>();
    final Map<String, CanonicalOrder> winners;
    /** "partition@offset" of each produced event, in the order of {@link #events}. */
    final List<String> positions = new ArrayList<>();

    OrdersScenario(long seed, int orders) {
        generator = new MessyOrderGenerator(seed, "T" + seed, LOCAL_ZONE, MAX_RECORD_BYTES + 1000);
        winners = generator.winners();
        addOrders(orders);
    }

    /** Generates another round of orders (with their duplicates, versions and broken records). */
    List<GeneratedEvent> addOrders(int orders) {
        List<GeneratedEvent> round = generator.next(orders);
        events.addAll(round);
        return round;
    }

    /** Re-sends, byte for byte, the winning version of {@code count} orders: each must be deduplicated. */
    List<GeneratedEvent> resendWinners(int count) {
        List<GeneratedEvent> resent = new ArrayList<>();
        for (GeneratedEvent e : events) {
            if (resent.size() < count && e.outcome() == Outcome.WRITTEN && e.order().equals(winners.get(e.order().orderId()))) {
                resent.add(new GeneratedEvent(e.key(), e.value(), Outcome.DUPLICATE, null, null, e.order()));
            }
        }
        events.addAll(resent);
        return resent;
    }

    /** Produces the events not produced yet, in order, and records their positions. */
    void produceTo(String bootstrap, String topic) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        try (var producer = KafkaTestClients.producer(bootstrap)) {
            for (GeneratedEvent e : events.subList(positions.size(), events.size())) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, e.key(), e.value(), e.headers())));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata m = f.get();
            positions.add(m.partition() + "@" + m.offset());
        }
    }

    long count(Outcome outcome) {
        return events.stream().filter(e -> e.outcome() == outcome).count();
    }

    /** "partition@offset" → "stage/rule" for every event that must become a dead letter. */
    Map<String, String> expectedDeadLetters() {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            GeneratedEvent e = events.get(i);
            if (e.outcome() == Outcome.REJECTED) {
                expected.put(positions.get(i), e.stage() + "/" + e.rule());
            }
        }
        return expected;
    }

    /** "stage/rule" → how many dead letters of that kind. */
    Map<String, Long> expectedRejectsByRule() {
        Map<String, Long> counts = new TreeMap<>();
        expectedDeadLetters().values().forEach(v -> counts.merge(v, 1L, Long::sum));
        return counts;
    }

    /** order_id → the row, as text, the table must hold. */
    Map<String, String> expectedTable() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        for (CanonicalOrder o : winners.values()) {
            rows.put(o.orderId(), expectedRow(o));
        }
        return rows;
    }

    /** The row, as text ({@link #actualTable}'s form), the table must hold for an order's winning version. */
    static String expectedRow(CanonicalOrder o) throws Exception {
        String phone = o.phoneDigits() == null ? null
                : "*".repeat(o.phoneDigits().length() - 4) + o.phoneDigits().substring(o.phoneDigits().length() - 4);
        return String.join("|", o.customerId(), sha256Hex(o.email()), String.valueOf(phone),
                o.amount().setScale(3).toPlainString(), o.currency(), o.status(), String.valueOf(o.channel()),
                o.eventTime().toString());
    }

    static Map<String, String> actualTable(Connection c) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT order_id, customer_id, customer_email_hash, customer_phone_masked, amount, currency, status,"
                        + " channel, event_time FROM orders")) {
            while (rs.next()) {
                String previous = rows.put(rs.getString(1), String.join("|", rs.getString(2), rs.getString(3),
                        String.valueOf(rs.getString(4)), rs.getBigDecimal(5).toPlainString(), rs.getString(6),
                        rs.getString(7), String.valueOf(rs.getString(8)),
                        instant(rs, 9).toString()));
                assertNull(previous, "duplicate order_id " + rs.getString(1));
            }
        }
        return rows;
    }

    /** A timestamp column as an instant: PostgreSQL's timestamptz, or MariaDB's DATETIME holding UTC. */
    static java.time.Instant instant(ResultSet rs, int column) throws java.sql.SQLException {
        Object value = rs.getObject(column);
        if (value instanceof java.time.LocalDateTime local) {
            return local.toInstant(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC);
        }
        return rs.getObject(column, java.time.OffsetDateTime.class).toInstant();
    }

    static Map<String, String> actualDeadLetters(Connection c) throws Exception {
        Map<String, String> letters = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT source_partition, source_offset, stage, rule FROM dead_letters")) {
            while (rs.next()) {
                letters.put(rs.getInt(1) + "@" + rs.getLong(2), rs.getString(3) + "/" + rs.getString(4));
            }
        }
        return letters;
    }

    /** Every email the generator used, raw: none may appear in the orders table. */
    List<String> rawEmails() {
        return winners.values().stream().map(CanonicalOrder::email).toList();
    }

    static String sha256Hex(String email) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(SALT);
        return HexFormat.of().formatHex(digest.digest(email.getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, String> jobOptions(String bootstrap, String topic, String jdbcUrl) {
        Map<String, String> options = new HashMap<>();
        options.put("midstream.kafka.bootstrap-servers", bootstrap);
        options.put("midstream.source.group-id", topic + "-cleanse");
        options.put("midstream.source.starting-offsets", "earliest");
        options.put("midstream.source.bounded", "true");
        options.put("midstream.source.max-record-bytes", Integer.toString(MAX_RECORD_BYTES));
        options.put("midstream.validation.local-time-zone", LOCAL_ZONE.getId());
        options.put("midstream.jdbc.url", jdbcUrl);
        options.put("midstream.sink.batch-size", "200");
        return options;
    }

    /** A job configuration file for a long-running (unbounded) job over the scenario's topic. */
    static void writeUnboundedConfig(java.nio.file.Path file, String bootstrap, String topic, String jdbcUrl) throws java.io.IOException {
        Map<String, String> options = jobOptions(bootstrap, topic, jdbcUrl);
        options.remove("midstream.source.bounded");
        java.nio.file.Files.writeString(file, options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining("\n")));
    }

    static Map<String, String> env() {
        return Map.of("MIDSTREAM_PII_SALT", new String(SALT, StandardCharsets.UTF_8));
    }
}
