package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.model.DedupSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

class KeyedDeduplicatorTest {
    private static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("test", 100);

    private static KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> harness(DedupSpec spec)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new KeyedDeduplicator(spec, DEAD_LETTERS),
                KeyedDeduplicator.keySelector(spec.key()), Types.STRING);
    }

    private static DedupSpec versioned() {
        return new DedupSpec(List.of("id", "region"), "at", Duration.ofDays(1), null);
    }

    private static FlowRecord record(String id, String region, String at, String value) {
        return new FlowRecord(new Record().set("id", id).set("region", region).set("at", Instant.parse(at))
                .set("value", value), "t", 0, 1, null);
    }

    private static List<String> passed(KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> h) {
        return h.extractOutputValues().stream().map(r -> r.data.getString("id") + "/" + r.data.getString("region") + "@"
                + r.data.getInstant("at") + "=" + r.data.getString("value")).toList();
    }

    @Test
    void newerVersionsPassDuplicatesAndStaleOnesDoNot() throws Exception {
        try (var h = harness(versioned())) {
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            h.processElement(record("a", "eu", "2024-01-02T00:00:00Z", "v2"), 0);
            h.processElement(record("a", "eu", "2023-12-31T00:00:00Z", "v0"), 0);
            assertEquals(List.of("a/eu@2024-01-01T00:00:00Z=v1", "a/eu@2024-01-02T00:00:00Z=v2"), passed(h));
            assertNull(h.getSideOutput(DeadLetterFactory.TAG));
        }
    }

    @Test
    void theKeyIsEveryKeyField() throws Exception {
        try (var h = harness(versioned())) {
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            h.processElement(record("a", "us", "2024-01-01T00:00:00Z", "v1"), 0);
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(2, h.numKeyedStateEntries());
        }
    }

    @Test
    void sameVersionOtherContentIsAConflict() throws Exception {
        try (var h = harness(versioned())) {
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "other"), 0);
            assertEquals(1, h.extractOutputValues().size());
            DeadLetter letter = h.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).findFirst().get();
            assertEquals("dedup", letter.stageLabel());
            assertEquals("conflicting_version", letter.rule);
        }
    }

    @Test
    void withoutAVersionOnlyTheFirstPasses() throws Exception {
        try (var h = harness(new DedupSpec(List.of("id"), null, Duration.ofDays(1), null))) {
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            h.processElement(record("a", "eu", "2024-02-01T00:00:00Z", "v1"), 0);
            assertEquals(1, h.extractOutputValues().size());
            assertEquals(1, h.getSideOutput(DeadLetterFactory.TAG).size(), "changed content without a version: a conflict");
        }
    }

    @Test
    void whatWasSeenSurvivesASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(versioned())) {
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KeyedDeduplicator(versioned(), DEAD_LETTERS)),
                KeyedDeduplicator.keySelector(versioned().key()), Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            assertEquals(List.of(), h.extractOutputValues());
        }
    }

    @Test
    void stateExpiresAfterTheTtl() throws Exception {
        try (var h = harness(new DedupSpec(List.of("id"), "at", Duration.ofMinutes(1), null))) {
            h.setStateTtlProcessingTime(0);
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            h.setStateTtlProcessingTime(Duration.ofMinutes(2).toMillis());
            h.processElement(record("a", "eu", "2024-01-01T00:00:00Z", "v1"), 0);
            assertEquals(2, h.extractOutputValues().size(), "forgotten after the TTL");
        }
    }

    @Test
    void theKeyKeepsItsFormAfterTravellingWithTheJobGraph() throws Exception {
        FlowRecord record = record("a", "eu", "2024-01-01T00:00:00Z", "v1");
        for (var selector : List.of(KeyedDeduplicator.keySelector(List.of(new String("id"))),
                KeyedDeduplicator.keySelector(List.of(new String("id"), new String("region"))))) {
            assertEquals(selector.getKey(record), InstantiationUtil.clone(selector).getKey(record));
        }
        // the keys in savepoints: one field's value as it is, several joined with NUL after each
        assertEquals("a", KeyedDeduplicator.keySelector(List.of("id")).getKey(record));
        assertEquals("a\u0000eu\u0000", KeyedDeduplicator.keySelector(List.of("id", "region")).getKey(record));
        assertEquals("null", KeyedDeduplicator.keySelector(List.of("missing")).getKey(record));
    }
}
