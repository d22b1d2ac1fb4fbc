package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/** The {@code pii:} step: hashes with the referenced salt, masks, drops, and forgets the raw payload. */
class RecordMaskerTest {
    private static final String SALT = "a-salt-of-at-least-16-bytes";

    private static FlowRecord maskedOrder(String salt, String phone) throws Exception {
        var orders = PipelineReader.read(java.nio.file.Path.of("../pipelines/orders.yaml"),
                Map.of("MIDSTREAM_PII_SALT", salt)::get, FunctionCatalog.load());
        Record data = new Record().set("order_id", "A").set("customer_email", "ann@example.com")
                .set("customer_phone", phone);
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new RecordMasker(orders.pii()))) {
            harness.processElement(new FlowRecord(data, "t", 0, 0, new byte[0]), 0);
            return harness.extractOutputValues().get(0);
        }
    }

    @Test
    void theOrdersFileHashesTheEmailAndKeepsTheLastFourPhoneDigits() throws Exception {
        FlowRecord out = maskedOrder(SALT, "14155550123");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(SALT.getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(sha.digest("ann@example.com".getBytes(StandardCharsets.UTF_8))),
                out.data.getString("customer_email"));
        assertEquals("*******0123", out.data.getString("customer_phone"));
        assertEquals("A", out.data.getString("order_id"));
    }

    @Test
    void differentSaltGivesDifferentHash() throws Exception {
        assertNotEquals(maskedOrder(SALT, null).data.getString("customer_email"),
                maskedOrder("another-salt-of-16+bytes", null).data.getString("customer_email"));
    }

    @Test
    void missingPhoneStaysNull() throws Exception {
        assertNull(maskedOrder(SALT, null).data.get("customer_phone"));
    }

    @Test
    void hashesMasksAndDropsAndForgetsThePayload() throws Exception {
        PipelineSpec spec = PipelineReader.parse("m.yaml", """
                pipeline: m
                source: {topics: [t]}
                schema: {id: {type: string, required: true}}
                key: [id]
                pii:
                  - {field: email, hash: {salt: "${env:SALT}"}}
                  - {field: phone, mask: {keep_last: 4}}
                  - {field: short, mask: {keep_last: 4}}
                  - {field: address.street, drop: true}
                sink: {table: m, primary_key: [id], columns: {id: id}}
                """, Map.of("SALT", SALT)::get, FunctionCatalog.load());
        Record data = new Record().set("id", "1").set("email", "ada@example.com").set("phone", "14155550123")
                .set("short", "12").set("address", new Record().set("street", "1 Main St").set("city", "Rome"));
        FlowRecord record = new FlowRecord(data, "t", 0, 0, "raw".getBytes(StandardCharsets.UTF_8));
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new RecordMasker(spec.pii()))) {
            harness.processElement(record, 0);
            FlowRecord out = harness.extractOutputValues().get(0);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SALT.getBytes(StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(sha.digest("ada@example.com".getBytes(StandardCharsets.UTF_8))),
                    out.data.getString("email"));
            assertEquals("*******0123", out.data.getString("phone"));
            assertEquals("12", out.data.getString("short"), "shorter than keep_last: nothing to hide behind");
            assertNull(out.data.get("address.street"));
            assertEquals("Rome", out.data.getString("address.city"));
            assertNull(out.payload, "the raw payload, with its PII, stops here");
            assertFalse(out.data.asMap().containsValue("ada@example.com"));
        }
    }
}
