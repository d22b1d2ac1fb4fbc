package dev.midstream.job;

import dev.midstream.testkit.KafkaTestClients;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Valid orders written out by hand for {@code pipelines/orders.yaml}, each with the row it must become. */
final class HandMadeOrders {
    private HandMadeOrders() {}

    /**
     * Sends {@code count} orders {@code <prefix>-<n>} from {@code channel}; puts into {@code rows} each one's
     * {@code channel|customer_phone_masked|amount} as the table must hold them.
     */
    static void send(String bootstrap, String topic, String prefix, int count, String channel, Map<String, String> rows)
            throws Exception {
        try (var producer = KafkaTestClients.producer(bootstrap)) {
            for (int n = 0; n < count; n++) {
                String id = prefix + "-" + n;
                String json = "{\"order_id\":\"" + id + "\",\"customer_id\":\"C" + n + "\",\"customer_email\":\"" + id
                        + "@example.com\",\"customer_phone\":\"+1 555 010 " + (1000 + n) + "\",\"currency\":\"USD\","
                        + "\"amount\":" + (10 + n) + ".25,\"status\":\"paid\",\"channel\":\"" + channel
                        + "\",\"event_time\":\"2026-11-01T10:00:00Z\"}";
                producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
                rows.put(id, channel + "|*******" + (1000 + n) + "|" + (10 + n) + ".250");
            }
            producer.flush();
        }
    }

    /** The orders table in {@link #send}'s form: order id → {@code channel|customer_phone_masked|amount}. */
    static Map<String, String> actualRows(java.sql.Connection c) throws java.sql.SQLException {
        Map<String, String> rows = new java.util.TreeMap<>();
        try (var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT order_id, channel, customer_phone_masked, amount FROM orders")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|"
                        + rs.getBigDecimal(4).toPlainString());
            }
        }
        return rows;
    }
}
