package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** The schema and every rule kind of a pipeline file, applied to raw JSON by the validate step. */
class RecordValidatorTest {
    static final PipelineSpec SPEC = PipelineReader.parse("test.yaml", """
            pipeline: test
            source: {topics: [t], max_record_bytes: 400}
            schema:
              id: {type: string, required: true, max_length: 5}
              n: {type: long}
              price: {type: 'decimal(5,2)'}
              ok: {type: boolean, default: 'true'}
              at: {type: timestamp}
              code: {type: string}
              tags: {type: array, items: string}
              lines:
                type: array
                items: {type: object, fields: {sku: {type: string, required: true}}}
              where:
                type: object
                fields:
                  city: {type: string, required: true}
            key: [id]
            rules:
              - {id: n_present, field: n, not_null: true}
              - {id: n_range, field: n, range: {min: 1, max: 10}}
              - {id: code_pattern, field: code, regex: '[A-Z]{3}'}
              - {id: code_known, field: code, enum: [abc, xyz], ignore_case: true}
              - {id: code_length, field: code, length: {min: 3, max: 3}}
              - {id: price_needs_n, expression: "price == null || n >= 2", message: "a price needs at least 2 items"}
            sink:
              table: t
              primary_key: [id]
              columns: {id: id}
            """, Map.<String, String>of()::get, FunctionCatalog.load());

    static final String GOOD = "\"id\":\"a1\",\"n\":3,\"code\":\"ABC\"";

    private static OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> run(String json) throws Exception {
        OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new RecordValidator(SPEC, SPEC.source().maxRecordBytes(), ZoneId.of("Asia/Shanghai"), new DeadLetterFactory("test", 100)));
        RawRecord raw = new RawRecord();
        raw.topic = "t";
        raw.partition = 0;
        raw.offset = 7;
        raw.value = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        harness.processElement(raw, 0);
        return harness;
    }

    private static Record passed(String json) throws Exception {
        try (var harness = run(json)) {
            assertNull(harness.getSideOutput(DeadLetterFactory.TAG), "no dead letter for " + json);
            List<FlowRecord> out = harness.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(7, out.get(0).sourceOffset);
            return out.get(0).data;
        }
    }

    private static DeadLetter rejected(String json) throws Exception {
        try (var harness = run(json)) {
            assertEquals(List.of(), harness.extractOutputValues());
            List<DeadLetter> letters = harness.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).toList();
            assertEquals(1, letters.size());
            return letters.get(0);
        }
    }

    @Test
    void readsEveryTypeIntoTheRecord() throws Exception {
        Record r = passed("{" + GOOD + ",\"price\":1.5,\"at\":\"2024-01-01 08:00:00\",\"tags\":[\"x\",\"y\"],"
                + "\"lines\":[{\"sku\":\"s1\"}],\"where\":{\"city\":\"Rome\",\"zip\":\"ignored\"},\"extra\":1}");
        assertEquals(3L, r.get("n"));
        assertEquals(new BigDecimal("1.50"), r.get("price"), "decimals take the declared scale");
        assertEquals(Boolean.TRUE, r.get("ok"), "default");
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), r.get("at"), "local time read in the configured zone");
        assertEquals(List.of("x", "y"), r.get("tags"));
        assertEquals("s1", ((Record) r.getList("lines").get(0)).getString("sku"));
        assertEquals("Rome", r.getString("where.city"));
        assertNull(r.get("where.zip"), "undeclared fields are not copied");
        assertNull(r.get("extra"));
    }

    @Test
    void epochMillisAreTimestampsToo() throws Exception {
        assertEquals(Instant.ofEpochMilli(1704067200000L), passed("{" + GOOD + ",\"at\":1704067200000}").get("at"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"n\":3}                                          | validation | id_required      | id",
            "{\"id\":\"  \",\"n\":3}                            | validation | id_required      | id",
            "{\"id\":5,\"n\":3}                                 | validation | id_type          | id",
            "{\"id\":\"abcdef\",\"n\":3}                        | validation | id_max_length    | id",
            "{\"id\":\"a\\u0000\",\"n\":3}                      | validation | id_characters    | id",
            "{\"id\":\"a\",\"n\":3.5}                           | validation | n_type           | n",
            "{\"id\":\"a\",\"n\":3,\"price\":1.234}             | validation | price_scale      | price",
            "{\"id\":\"a\",\"n\":3,\"price\":1234}              | validation | price_range      | price",
            "{\"id\":\"a\",\"n\":3,\"ok\":\"yes\"}              | validation | ok_type          | ok",
            "{\"id\":\"a\",\"n\":3,\"at\":\"yesterday\"}        | validation | at_format        | at",
            "{\"id\":\"a\",\"n\":3,\"tags\":\"x\"}              | validation | tags_type        | tags",
            "{\"id\":\"a\",\"n\":3,\"tags\":[1]}                | validation | tags_type        | tags",
            "{\"id\":\"a\",\"n\":3,\"lines\":[{}]}              | validation | lines_sku_required | lines.sku",
            "{\"id\":\"a\",\"n\":3,\"where\":{}}                | validation | where_city_required | where.city",
            "{\"id\":\"a\",\"n\":3,\"where\":[]}                | validation | where_type       | where",
            "{\"id\":\"a\"}                                     | validation | n_present        | n",
            "{\"id\":\"a\",\"n\":11}                            | validation | n_range          | n",
            "{\"id\":\"a\",\"n\":0}                             | validation | n_range          | n",
            "{\"id\":\"a\",\"n\":3,\"code\":\"ab1\"}             | validation | code_pattern     | code",
            "{\"id\":\"a\",\"n\":3,\"code\":\"QQQ\"}             | validation | code_known       | code",
            "{\"id\":\"a\",\"n\":3,\"code\":\"abcd\"}            | validation | code_pattern     | code",
            "{\"id\":\"a\",\"n\":1,\"price\":2}                 | validation | price_needs_n    | ",
            "[1,2]                                              | parse      | not_an_object    | ",
            "{\"id\":\"a\",                                     | parse      | malformed_json   | ",
            "{\"id\":\"a\",\"id\":\"b\"}                        | parse      | malformed_json   | ",
            "{\"id\":\"a\",\"n\":9999E94999999999}              | parse      | malformed_json   | "})
    void rejectsWithStageRuleAndField(String json, String stage, String rule, String field) throws Exception {
        DeadLetter letter = rejected(json);
        assertEquals(stage, letter.stageLabel());
        assertEquals(rule, letter.rule);
        assertEquals(field, letter.field);
        assertEquals(7, letter.sourceOffset);
        assertTrue(letter.reason.length() > 5, letter.reason);
    }

    @Test
    void aRuleMessageFromThePipelineFileIsTheReason() throws Exception {
        assertEquals("price_needs_n: a price needs at least 2 items", rejected("{\"id\":\"a\",\"n\":1,\"price\":2}").reason);
    }

    @Test
    void everyBrokenRuleIsInTheReason() throws Exception {
        DeadLetter letter = rejected("{\"id\":\"a\",\"n\":30,\"code\":\"zz\"}");
        assertEquals("n_range", letter.rule);
        assertTrue(letter.reason.contains("n: must be between 1 and 10"), letter.reason);
        assertTrue(letter.reason.contains("code: does not match"), letter.reason);
        assertTrue(letter.reason.contains("code: is 2 characters"), letter.reason);
    }

    @Test
    void tombstonesAndOversizedRecordsAreSourceDeadLetters() throws Exception {
        assertEquals("null_value", rejected(null).rule);
        DeadLetter big = rejected("{\"id\":\"" + "x".repeat(500) + "\"}");
        assertEquals("source", big.stageLabel());
        assertEquals("payload_too_large", big.rule);
    }

    private static OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> withUnknownFields(String mode, String json)
            throws Exception {
        PipelineSpec spec = PipelineReader.parse("drift.yaml", """
                pipeline: drift
                source: {topics: [t], unknown_fields: %s}
                schema:
                  id: {type: string, required: true}
                  where: {type: object, fields: {city: {type: string}}}
                key: [id]
                sink: {table: t, primary_key: [id], columns: {id: id}}
                """.formatted(mode), Map.<String, String>of()::get, FunctionCatalog.load());
        var harness = ProcessFunctionTestHarnesses.forProcessFunction(new RecordValidator(spec, 1000, ZoneId.of("UTC"),
                new DeadLetterFactory("drift", 100)));
        RawRecord raw = new RawRecord();
        raw.topic = "t";
        raw.partition = 3;
        raw.offset = 7;
        raw.value = json.getBytes(StandardCharsets.UTF_8);
        harness.processElement(raw, 0);
        return harness;
    }

    @Test
    void undeclaredFieldsAreCountedPerNameOrRejectedOrIgnoredAsTheFileSays() throws Exception {
        String drifted = "{\"id\":\"a\",\"coupon\":\"X\",\"where\":{\"city\":\"Rome\",\"zip\":\"00100\"}}";
        try (var counted = withUnknownFields("count", drifted)) {
            assertEquals(1, counted.extractOutputValues().size(), "counted, still written");
            assertEquals(List.of("drift unknown_field schema/coupon t-3: 1", "drift unknown_field schema/where.zip t-3: 1"),
                    counted.getSideOutput(dev.midstream.quality.QualityCount.TAG).stream()
                            .map(r -> r.getValue().toString()).sorted().toList());
        }
        try (var rejected = withUnknownFields("reject", drifted)) {
            assertTrue(rejected.extractOutputValues().isEmpty());
            DeadLetter letter = rejected.getSideOutput(DeadLetterFactory.TAG).iterator().next().getValue();
            assertEquals("validation/unknown_field/coupon", letter.stageLabel() + "/" + letter.rule + "/" + letter.field);
        }
        try (var ignored = withUnknownFields("ignore", drifted)) {
            assertEquals(1, ignored.extractOutputValues().size());
            assertNull(ignored.getSideOutput(dev.midstream.quality.QualityCount.TAG));
        }
        try (var declaredOnly = withUnknownFields("count", "{\"id\":\"a\",\"where\":{\"city\":\"Rome\"}}")) {
            assertNull(declaredOnly.getSideOutput(dev.midstream.quality.QualityCount.TAG), "nothing undeclared");
        }
    }
}
