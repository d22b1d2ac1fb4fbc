package dev.midstream.job;

import dev.midstream.testkit.orders.CanonicalOrder;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.Outcome;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Records a hostile or broken producer sends, each with what the job must make of it: invalid UTF-8, NUL bytes,
 * deep nesting, huge numbers, NaN, duplicate keys, a multi-megabyte string, empty and blank records, tombstones,
 * a null key, and valid records with SQL-looking, emoji and right-to-left text or a byte-order mark.
 */
final class HostileCorpus {
    private static final Instant TIME = Instant.parse("2026-11-02T00:00:00Z");

    private HostileCorpus() {}

    /** Inserts the corpus at seeded random places in the scenario's events; returns the inserted events. */
    static List<GeneratedEvent> insertInto(OrdersScenario scenario, long seed) {
        List<GeneratedEvent> corpus = corpus(scenario);
        Random random = new Random(seed);
        for (GeneratedEvent e : corpus) {
            scenario.events.add(random.nextInt(scenario.events.size() + 1), e);
        }
        return corpus;
    }

    private static List<GeneratedEvent> corpus(OrdersScenario scenario) {
        List<GeneratedEvent> c = new ArrayList<>();
        c.add(reject(bytes(utf8("{\"order_id\":\"H-1\",\"customer_id\":\""), new byte[] {(byte) 0xFF, (byte) 0xFE}, utf8("\"}")),
                "parse", "malformed_json"));
        c.add(reject(utf8(valid("H-2", "C-\u00001")), "parse", "malformed_json")); // a raw NUL byte inside a string
        c.add(reject(utf8(valid("H-3", "C\\u00001")), "validation", "customer_id_characters"));
        c.add(reject(utf8(valid("H-4", "C\\ud800")), "validation", "customer_id_characters"));
        c.add(reject(utf8("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)), "parse", "malformed_json"));
        c.add(reject(utf8(valid("H-5", "C-1").replace("10.5", "1e400")), "validation", "amount_range"));
        c.add(reject(utf8(valid("H-6", "C-1").replace("10.5", "NaN")), "parse", "malformed_json"));
        c.add(reject(utf8(valid("H-7", "C-1").replace("10.5", "-Infinity")), "parse", "malformed_json"));
        c.add(reject(utf8(valid("H-8", "C-1").replace("{", "{\"amount\":1,")), "parse", "malformed_json"));
        c.add(reject(utf8(valid("H-9", "C-1").replace("}", ",\"blob\":\"" + "x".repeat(2_100_000) + "\"}")), "source", "payload_too_large"));
        c.add(reject(new byte[0], "parse", "not_an_object"));
        c.add(reject(utf8(" \n\t  "), "parse", "not_an_object"));
        c.add(reject(utf8("null"), "parse", "not_an_object"));
        c.add(reject(utf8("\"{\\\"order_id\\\":\\\"H-10\\\"}\""), "parse", "not_an_object"));
        c.add(reject(utf8(valid("H-11", "C-1").replace("10.5", "{\"value\":10.5}")), "validation", "amount_type"));
        c.add(reject(utf8(valid("H-12", "C-1").replace("\"created\"", "7")), "validation", "status_type"));
        c.add(reject(utf8(valid("H-13", "C-1").replace("\"2026-11-02T00:00:00Z\"", "[2026,11,2]")), "validation", "event_time_type"));
        c.add(new GeneratedEvent(utf8("H-14"), null, Outcome.REJECTED, "source", "null_value", null));
        c.add(written(scenario, "H-15'); DROP TABLE orders; --", "C-1' OR '1'='1", null, false));
        c.add(written(scenario, "H-16", "C-\uD83D\uDE00-\u05E9\u05DC\u05D5\u05DD-\u0645\u0631\u062D\u0628\u0627", null, false));
        c.add(written(scenario, "H-17", "C-1", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, false));
        c.add(written(scenario, "H-18", "C-1", null, true));
        c.add(written(scenario, "H-19", "C-1", null, false).withHeaders(oddHeaders()));
        c.add(reject(utf8("{\"order_id\":"), "parse", "malformed_json").withHeaders(oddHeaders()));
        return c;
    }

    /** Headers no one should trust: invalid UTF-8, Latin-1, a null value, an empty key, a repeated key, 100 KB. */
    private static List<Header> oddHeaders() {
        return List.of(
                new RecordHeader("trace", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}),
                new RecordHeader("name", "Jos\u00e9".getBytes(StandardCharsets.ISO_8859_1)),
                new RecordHeader("nothing", null),
                new RecordHeader("", utf8("empty key")),
                new RecordHeader("trace", utf8("again")),
                new RecordHeader("\u05e9\u05dc\u05d5\u05dd-\ud83d\ude00", new byte[100_000]));
    }

    private static String valid(String orderId, String customerIdJson) {
        return "{\"order_id\":\"" + orderId + "\",\"customer_id\":\"" + customerIdJson
                + "\",\"customer_email\":\"h@example.com\",\"amount\":10.5,\"currency\":\"USD\",\"status\":\"created\","
                + "\"event_time\":\"2026-11-02T00:00:00Z\"}";
    }

    private static GeneratedEvent written(OrdersScenario scenario, String orderId, String customerId, byte[] prefix, boolean nullKey) {
        CanonicalOrder order = new CanonicalOrder(orderId, customerId, "h@example.com", null, new BigDecimal("10.50"),
                "USD", "created", null, TIME);
        scenario.winners.put(orderId, order);
        byte[] json = utf8(valid(orderId, customerId));
        return new GeneratedEvent(nullKey ? null : utf8(orderId), prefix == null ? json : bytes(prefix, json, new byte[0]),
                Outcome.WRITTEN, null, null, order);
    }

    private static GeneratedEvent reject(byte[] value, String stage, String rule) {
        return new GeneratedEvent(utf8("H"), value, Outcome.REJECTED, stage, rule, null);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(byte[] before, byte[] middle, byte[] after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before);
        out.writeBytes(middle);
        out.writeBytes(after);
        return out.toByteArray();
    }
}
