package dev.midstream.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.model.EnrichSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The enrichment operator with controlled watermarks: dimension before, after and never; updates. */
class DimensionEnricherTest {
    private static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("orders", 256);

    private static EnrichSpec spec(EnrichSpec.OnMissing onMissing) {
        return new EnrichSpec("customer", List.of("customer_id"), List.of("customer_id"),
                Map.of("customer_tier", "tier", "customer_city", "address.city"), "updated_at",
                Duration.ofSeconds(30), onMissing, "customer_missing");
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord, FlowRecord> harness(
            EnrichSpec spec) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new DimensionEnricher(spec, DEAD_LETTERS),
                DimensionEnricher.key(spec.factKey()), DimensionEnricher.key(spec.dimensionKey()), Types.STRING);
    }

    private static FlowRecord order(String id, String customer) {
        return new FlowRecord(new Record().set("order_id", id).set("customer_id", customer), "dwd.orders", 0, 7, null);
    }

    private static FlowRecord customer(String id, String tier, String city, String updatedAt) {
        return new FlowRecord(new Record().set("customer_id", id).set("tier", tier).set("address.city", city)
                .set("updated_at", Instant.parse(updatedAt)), "dwd.customers", 0, 1, null);
    }

    private static List<String> out(KeyedTwoInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord, FlowRecord> h) {
        return h.extractOutputValues().stream().map(r -> r.data.getString("order_id") + ":" + r.data.get("customer_tier")
                + "/" + r.data.get("customer_city") + "/missing=" + r.data.get("customer_missing")).toList();
    }

    @Test
    void aDimensionAlreadyThereEnrichesAtOnce() throws Exception {
        try (var h = harness(spec(EnrichSpec.OnMissing.EMIT))) {
            h.processElement2(customer("c1", "gold", "Rome", "2024-01-01T00:00:00Z"), 0);
            h.processElement1(order("o1", "c1"), 0);
            assertEquals(List.of("o1:gold/Rome/missing=false"), out(h));
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void aLateDimensionReleasesTheWaitingFacts() throws Exception {
        try (var h = harness(spec(EnrichSpec.OnMissing.EMIT))) {
            h.processElement1(order("o1", "c1"), 1_000);
            h.processElement1(order("o2", "c1"), 2_000);
            assertEquals(List.of(), out(h));
            assertEquals(1, h.numEventTimeTimers(), "one wait per key");
            h.processWatermark1(new Watermark(20_000));
            h.processWatermark2(new Watermark(20_000));
            h.processElement2(customer("c1", "gold", "Rome", "2024-01-01T00:00:00Z"), 20_000);
            assertEquals(List.of("o1:gold/Rome/missing=false", "o2:gold/Rome/missing=false"), out(h));
            assertEquals(0, h.numEventTimeTimers(), "the wait is cancelled");
            h.processWatermark1(new Watermark(60_000));
            h.processWatermark2(new Watermark(60_000));
            assertEquals(2, out(h).size(), "nothing more when the old deadline passes");
        }
    }

    @Test
    void aDimensionThatNeverComesIsMarkedMissing() throws Exception {
        try (var h = harness(spec(EnrichSpec.OnMissing.EMIT))) {
            h.processElement1(order("o1", "c9"), 1_000);
            h.processWatermark1(new Watermark(30_999));
            h.processWatermark2(new Watermark(30_999));
            assertEquals(List.of(), out(h), "waits until the watermark passes event time + 30 s");
            h.processWatermark1(new Watermark(31_000));
            h.processWatermark2(new Watermark(31_000));
            assertEquals(List.of("o1:null/null/missing=true"), out(h));
            assertEquals(0, h.numKeyedStateEntries(), "nothing is left waiting");
        }
    }

    @Test
    void orGoesToDeadLettersWhenSoConfigured() throws Exception {
        try (var h = harness(spec(EnrichSpec.OnMissing.DEAD_LETTER))) {
            h.processElement1(order("o1", "c9"), 0);
            h.processWatermark1(new Watermark(Long.MAX_VALUE));
            h.processWatermark2(new Watermark(Long.MAX_VALUE));
            assertEquals(List.of(), out(h), "the final watermark of a bounded input settles it");
            DeadLetter letter = h.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).findFirst().get();
            assertEquals("enrich:customer", letter.stageLabel(), "the stage names the enrichment");
            assertEquals("dimension_missing", letter.rule);
            assertEquals(7, letter.sourceOffset);
        }
    }

    @Test
    void updatesApplyToLaterFactsOnlyAndNeverGoBackwards() throws Exception {
        try (var h = harness(spec(EnrichSpec.OnMissing.EMIT))) {
            h.processElement2(customer("c1", "standard", "Rome", "2024-01-01T00:00:00Z"), 0);
            h.processElement1(order("o1", "c1"), 0);
            h.processElement2(customer("c1", "gold", "Oslo", "2024-02-01T00:00:00Z"), 0);
            h.processElement1(order("o2", "c1"), 0);
            h.processElement2(customer("c1", "platinum", "Bern", "2024-01-15T00:00:00Z"), 0);
            h.processElement1(order("o3", "c1"), 0);
            assertEquals(List.of("o1:standard/Rome/missing=false", "o2:gold/Oslo/missing=false",
                    "o3:gold/Oslo/missing=false"), out(h));
        }
    }

    @Test
    void waitingFactsSurviveASnapshot() throws Exception {
        EnrichSpec spec = spec(EnrichSpec.OnMissing.EMIT);
        OperatorSubtaskState snapshot;
        try (var h = harness(spec)) {
            h.processElement1(order("o1", "c1"), 1_000);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new DimensionEnricher(spec, DEAD_LETTERS)),
                DimensionEnricher.key(spec.factKey()), DimensionEnricher.key(spec.dimensionKey()), Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement2(customer("c1", "gold", "Rome", "2024-01-01T00:00:00Z"), 2_000);
            assertEquals(List.of("o1:gold/Rome/missing=false"), out(h));
            assertNull(h.getSideOutput(DeadLetterFactory.TAG));
        }
    }
}
