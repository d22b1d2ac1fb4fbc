package dev.midstream.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.model.WindowSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.RecordKey;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Window results with controlled watermarks: on time, within the allowed lateness, too late; sliding; cleanup. */
class WindowAggregatorTest {
    private static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("orders_by_minute", 256);
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private static WindowSpec perMinute(Duration lateness) {
        return WindowSpec.tumbling("revenue_per_minute", List.of("merchant", "currency"), "event_time",
                Duration.ofMinutes(1), lateness, "amount", "customer_id");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> harness(WindowSpec spec)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new WindowAggregator(spec, DEAD_LETTERS),
                RecordKey.of(spec.groupBy()), Types.STRING);
    }

    private static FlowRecord order(String merchant, String customer, String amount, Duration at, long offset) {
        return new FlowRecord(new Record().set("merchant", merchant).set("currency", "EUR").set("customer_id", customer)
                .set("amount", new BigDecimal(amount)).set("event_time", T0.plus(at)), "dwd.orders", 0, offset, null);
    }

    private static List<String> results(KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> h) {
        return h.extractOutputValues().stream().map(r -> r.data.getString("merchant") + " "
                + r.data.getInstant("window_start").toString().substring(11, 16) + " n=" + r.data.getLong("records")
                + " sum=" + r.data.getDecimal("sum_amount") + " distinct=" + r.data.getLong("distinct_customer_id")).toList();
    }

    @Test
    void aWindowIsEmittedWhenTheWatermarkPassesItsEnd() throws Exception {
        try (var h = harness(perMinute(Duration.ZERO))) {
            h.processElement(order("m1", "c1", "10.00", Duration.ofSeconds(5), 1), 0);
            h.processElement(order("m1", "c1", "2.50", Duration.ofSeconds(50), 2), 0);
            h.processElement(order("m1", "c2", "1.00", Duration.ofSeconds(59), 3), 0);
            h.processElement(order("m2", "c3", "7.00", Duration.ofSeconds(30), 4), 0);
            h.processWatermark(new Watermark(T0.plusSeconds(59).toEpochMilli()));
            assertEquals(List.of(), results(h), "not before the end");
            h.processWatermark(new Watermark(T0.plusSeconds(60).toEpochMilli() - 1));
            assertEquals(List.of("m1 12:00 n=3 sum=13.50 distinct=2", "m2 12:00 n=1 sum=7.00 distinct=1"),
                    results(h).stream().sorted().toList());
            assertEquals(0, h.numKeyedStateEntries(), "without lateness, state goes when the window fires");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void aLateRecordWithinTheLatenessUpdatesTheWindowsResult() throws Exception {
        try (var h = harness(perMinute(Duration.ofMinutes(2)))) {
            h.processElement(order("m1", "c1", "10.00", Duration.ofSeconds(5), 1), 0);
            h.processWatermark(new Watermark(T0.plusSeconds(90).toEpochMilli()));
            h.processElement(order("m1", "c2", "5.00", Duration.ofSeconds(40), 2), 0);
            assertEquals(List.of("m1 12:00 n=1 sum=10.00 distinct=1", "m1 12:00 n=2 sum=15.00 distinct=2"), results(h),
                    "the window's row again, updated: the sink upserts it by (group, window start)");
            assertNull(h.getSideOutput(DeadLetterFactory.TAG));
            h.processWatermark(new Watermark(T0.plusSeconds(180).toEpochMilli()));
            assertEquals(0, h.numKeyedStateEntries(), "state goes when the lateness runs out");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void aRecordLaterThanTheLatenessIsADeadLetterNamingTheWindow() throws Exception {
        try (var h = harness(perMinute(Duration.ofSeconds(30)))) {
            h.processElement(order("m1", "c1", "10.00", Duration.ofSeconds(5), 1), 0);
            h.processWatermark(new Watermark(T0.plusSeconds(100).toEpochMilli()));
            h.processElement(order("m1", "c2", "5.00", Duration.ofSeconds(40), 9), 0);
            assertEquals(List.of("m1 12:00 n=1 sum=10.00 distinct=1"), results(h));
            DeadLetter letter = h.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).findFirst().get();
            assertEquals("late:revenue_per_minute", letter.stageLabel(), "the stage names the window");
            assertEquals("window_closed", letter.rule);
            assertEquals(9, letter.sourceOffset);
            assertTrue(letter.reason.contains("[2024-05-01T12:00:00Z, 2024-05-01T12:01:00Z)"), letter.reason);
        }
    }

    @Test
    void aSlidingWindowCountsARecordInEveryWindowItFallsIn() throws Exception {
        WindowSpec hourly = new WindowSpec("orders_per_hour", List.of("merchant", "currency"), "event_time",
                Duration.ofHours(1), Duration.ofMinutes(30), Duration.ZERO, "amount", null);
        try (var h = harness(hourly)) {
            h.processElement(order("m1", "c1", "10.00", Duration.ofMinutes(40), 1), 0);
            h.processWatermark(new Watermark(T0.plus(Duration.ofHours(2)).toEpochMilli()));
            List<String> windows = h.extractOutputValues().stream()
                    .map(r -> r.data.getInstant("window_start") + "/" + r.data.getLong("records")).toList();
            assertEquals(List.of("2024-05-01T12:00:00Z/1", "2024-05-01T12:30:00Z/1"), windows, "12:40 is in [12:00, 13:00) and [12:30, 13:30)");
        }
    }

    @Test
    void aRestoredOperatorJudgesLatenessByTheWatermarkItHadSeen() throws Exception {
        WindowSpec spec = perMinute(Duration.ofSeconds(30));
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness(spec)) {
            h.processElement(order("m1", "c1", "10.00", Duration.ofSeconds(5), 1), 0);
            h.processWatermark(new Watermark(T0.plusSeconds(100).toEpochMilli()));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new WindowAggregator(spec, DEAD_LETTERS)),
                RecordKey.of(spec.groupBy()), Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            // Sources start again without a watermark; the operator still knows 12:01:40 had passed.
            h.processElement(order("m1", "c2", "5.00", Duration.ofSeconds(40), 9), 0);
            assertEquals(List.of(), results(h));
            assertEquals("window_closed", h.getSideOutput(DeadLetterFactory.TAG).peek().getValue().rule);
        }
    }

    @Test
    void windowStateIsAPojoNeverKryo() {
        var type = org.apache.flink.api.common.typeinfo.TypeInformation.of(WindowAccumulator.class);
        assertTrue(type instanceof org.apache.flink.api.java.typeutils.PojoTypeInfo, type.toString());
        var config = new org.apache.flink.api.common.serialization.SerializerConfigImpl();
        config.setGenericTypes(false);
        type.createSerializer(config);
    }

    @Test
    void specsAreChecked() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new WindowSpec("w", List.of("m"), "t", Duration.ofMinutes(1), Duration.ofSeconds(25), Duration.ZERO, null, null));
        assertEquals("window 'w': size must be a multiple of slide", e.getMessage());
    }
}
