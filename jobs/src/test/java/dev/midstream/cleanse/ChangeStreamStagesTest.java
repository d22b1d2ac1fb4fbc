package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A change stream through the stages that know about it, as harnessed operators: the validator reads envelopes into
 * upserts and deletes (a delete by its key only), skips what carries no change and refuses the rest with a reason; the
 * deduplicator orders each key's changes by log position and remembers deletes.
 */
class ChangeStreamStagesTest {
    private static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("products", 1024);

    private static PipelineSpec pipeline(String format, String dedup) {
        return PipelineReader.parse("products.yaml", """
                pipeline: products
                source: {topics: [p], format: %s}
                schema:
                  id: {type: long, required: true}
                  name: {type: string, required: true}
                  price: {type: 'decimal(10,2)', required: true}
                  updated_at: {type: timestamp, required: true}
                key: [id]
                rules:
                  - {id: price_range, expression: "price >= 0"}
                dedup: %s
                sink:
                  table: products
                  primary_key: [id]
                  upsert: newer
                  columns: {id: id, name: name, price: price, version: %s, deleted: $deleted}
                """.formatted(format, dedup, dedup.contains("updated_at") ? "updated_at" : "$position"),
                Map.<String, String>of()::get, FunctionCatalog.load());
    }

    private static OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> validator(PipelineSpec spec) throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(
                new RecordValidator(spec, 1 << 20, ZoneOffset.UTC, DEAD_LETTERS));
    }

    private static RawRecord raw(long offset, String value) {
        return new RawRecord("p", 0, offset, 0, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String debezium(String op, String image, String row, long pos) {
        return "{\"op\":\"" + op + "\",\"" + image + "\":" + row + ",\"source\":{\"connector\":\"mysql\","
                + "\"file\":\"binlog.000002\",\"pos\":" + pos + ",\"row\":0}}";
    }

    private static List<String> letters(OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> h) {
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> out = h.getSideOutput(DeadLetterFactory.TAG);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue)
                .map(l -> l.sourceOffset + ":" + l.stageLabel() + "/" + l.rule + ": " + l.reason).toList();
    }

    @Test
    void theValidatorReadsUpsertsAndDeletesAndAccountsForTheRest() throws Exception {
        PipelineSpec spec = pipeline("debezium-json", "{ttl: 1d}");
        try (var h = validator(spec)) {
            String row = "{\"id\":1,\"name\":\" Lamp \",\"price\":\"12.50\",\"updated_at\":1710498600000}";
            h.processElement(raw(0, debezium("c", "after", row, 100)), 0);
            h.processElement(raw(1, debezium("d", "before", "{\"id\":1}", 200)), 0);
            h.processElement(raw(2, null), 0);
            h.processElement(raw(3, "{\"op\":\"t\",\"source\":{\"connector\":\"mysql\"}}"), 0);
            h.processElement(raw(4, debezium("x", "after", row, 300)), 0);
            h.processElement(raw(5, debezium("u", "after", "{\"name\":\"no id\",\"price\":1,\"updated_at\":0}", 400)), 0);
            h.processElement(raw(6, debezium("u", "after", row.replace("12.50", "-1"), 500)), 0);
            h.processElement(raw(7, debezium("u", "after", "{\"id\":1,\"price\":1,\"updated_at\":0}", 600)), 0);

            List<FlowRecord> out = h.extractOutputValues();
            assertEquals(List.of("upsert {id=1, name= Lamp , price=12.50, updated_at=2024-03-15T10:30:00Z}",
                    "delete {id=1}"), out.stream().map(r -> (r.deleted ? "delete " : "upsert ") + r.data.asMap()).toList(),
                    "the delete needs only the key, though name and price are required");
            assertEquals(List.of(2L, 2L), List.of(out.get(0).positionMajor, out.get(1).positionMajor));
            assertEquals(List.of(
                    "4:change/unknown_op: unknown op 'x'; Debezium writes c, u, d, r, t and m",
                    "5:change/missing_key: the changed row has no 'id', a field of the pipeline's key",
                    "6:validation/price_range: price: does not hold: price >= 0",
                    "7:validation/name_required: name: is missing"),
                    letters(h).stream().map(l -> l.replaceAll(" \\(.*", "")).toList(),
                    "the tombstone and the truncate are skipped, not dead letters");
        }
    }

    @Test
    void aCanalMessageIsTakenWholeOrRefusedWhole() throws Exception {
        PipelineSpec spec = pipeline("canal-json", "{version: updated_at, ttl: 1d}");
        try (var h = validator(spec)) {
            String good = "{\"id\":\"%d\",\"name\":\"n%d\",\"price\":\"%s\",\"updated_at\":\"2024-03-15 10:30:00\"}";
            h.processElement(raw(0, "{\"type\":\"INSERT\",\"isDdl\":false,\"data\":[" + good.formatted(1, 1, "1.00") + ","
                    + good.formatted(2, 2, "2.00") + "]}"), 0);
            h.processElement(raw(1, "{\"type\":\"UPDATE\",\"isDdl\":false,\"data\":[" + good.formatted(3, 3, "3.00") + ","
                    + good.formatted(4, 4, "four") + "]}"), 0);
            h.processElement(raw(2, "{\"type\":\"DELETE\",\"isDdl\":false,\"data\":[" + good.formatted(1, 1, "1.00")
                    + "]}"), 0);
            assertEquals(List.of("upsert 1", "upsert 2", "delete 1"), h.extractOutputValues().stream()
                    .map(r -> (r.deleted ? "delete " : "upsert ") + r.data.get("id")).toList());
            assertEquals("{id=1, updated_at=2024-03-15T10:30:00Z}", h.extractOutputValues().get(2).data.asMap().toString(),
                    "a Canal delete keeps the key and the version field");
            assertEquals(List.of("1:validation/price_encoding: price: data[1]: 'four' is not a number"), letters(h),
                    "one dead letter for the message; its valid first row is not written either");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> deduplicator(PipelineSpec spec)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new KeyedDeduplicator(spec.dedup(), DEAD_LETTERS),
                KeyedDeduplicator.keySelector(spec.dedup().key()), Types.STRING);
    }

    private static FlowRecord change(boolean delete, long minor, String name) {
        dev.midstream.udf.Record data = new dev.midstream.udf.Record().set("id", 1L);
        if (name != null) {
            data.set("name", name);
        }
        return new FlowRecord(data, "p", 0, minor, null).change(delete, 2, minor);
    }

    @Test
    void theDeduplicatorOrdersByPositionAndRemembersDeletes() throws Exception {
        PipelineSpec spec = pipeline("debezium-json", "{ttl: 1d}");
        try (var h = deduplicator(spec)) {
            h.processElement(change(false, 5, "v5"), 0);
            h.processElement(change(true, 7, null), 0);
            h.processElement(change(false, 6, "v6"), 0);
            h.processElement(change(true, 7, null), 0);
            h.processElement(change(false, 5, "v5"), 0);
            h.processElement(change(false, FlowRecord.AFTER_LATEST, "snapshot").change(false, FlowRecord.AFTER_LATEST, 0), 0);
            h.processElement(change(false, 9, "v9"), 0);
            List<FlowRecord> out = h.extractOutputValues();
            assertEquals(List.of("upsert v5 @2/5", "delete null @2/7", "upsert snapshot @2/8", "upsert v9 @2/9"),
                    out.stream().map(r -> (r.deleted ? "delete " : "upsert ") + r.data.get("name") + " @"
                            + r.positionMajor + "/" + r.positionMinor).toList(),
                    "the stale upsert and the replays are dropped; a row without a position follows the latest");
            assertNull(h.getSideOutput(DeadLetterFactory.TAG));
        }
    }

    @Test
    void aDeleteAndAnUpsertAtOnePositionConflict() throws Exception {
        PipelineSpec spec = pipeline("debezium-json", "{ttl: 1d}");
        try (var h = deduplicator(spec)) {
            h.processElement(change(false, 5, "v5"), 0);
            h.processElement(change(true, 5, null).change(true, 2, 5), 0);
            assertEquals(1, h.extractOutputValues().size());
            assertEquals("conflicting_version", h.getSideOutput(DeadLetterFactory.TAG).peek().getValue().rule);
        }
    }
}
