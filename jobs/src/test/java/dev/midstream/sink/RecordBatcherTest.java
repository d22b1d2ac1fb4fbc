package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

class RecordBatcherTest {
    private static OneInputStreamOperatorTestHarness<FlowRecord, List<FlowRecord>> harness(String upsert, int size)
            throws Exception {
        OneInputStreamOperatorTestHarness<FlowRecord, List<FlowRecord>> h = new OneInputStreamOperatorTestHarness<>(
                new RecordBatcher(RecordTableIntegrationTest.spec(upsert).sink(), size, Duration.ofSeconds(1)));
        h.open();
        return h;
    }

    private static StreamRecord<FlowRecord> row(String id, String at, String city) {
        return new StreamRecord<>(new FlowRecord(new Record().set("id", id).set("at", Instant.parse(at))
                .set("place", new Record().set("city", city)), "t", 0, 0, null));
    }

    private static List<List<String>> batches(OneInputStreamOperatorTestHarness<FlowRecord, List<FlowRecord>> h) {
        return h.extractOutputValues().stream()
                .map(b -> b.stream().map(r -> r.data.getString("id") + "@" + r.data.getString("place.city")).toList())
                .toList();
    }

    @Test
    void aBatchHoldsEachKeyOnceTheNewestVersion() throws Exception {
        try (var h = harness("newer", 3)) {
            h.processElement(row("a", "2024-01-02T00:00:00Z", "Rome"));
            h.processElement(row("a", "2024-01-01T00:00:00Z", "Bern"));   // older: the buffered row stays
            h.processElement(row("b", "2024-01-01T00:00:00Z", "Oslo"));
            h.processElement(row("a", "2024-01-02T00:00:00Z", "Lima"));   // same version, later: replaces
            h.processElement(row("c", "2024-01-01T00:00:00Z", "Kyiv"));   // the third key fills the batch
            h.processElement(row("d", "2024-01-01T00:00:00Z", "Riga"));
            assertEquals(List.of(List.of("a@Lima", "b@Oslo", "c@Kyiv")), batches(h));
        }
    }

    @Test
    void alwaysKeepsTheLaterRecord() throws Exception {
        try (var h = harness("always", 10)) {
            h.processElement(row("a", "2024-01-02T00:00:00Z", "Rome"));
            h.processElement(row("a", "2024-01-01T00:00:00Z", "Bern"));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(List.of(List.of("a@Bern")), batches(h));
        }
    }

    @Test
    void nothingWaitsAcrossACheckpointTheIntervalOrTheEndOfInput() throws Exception {
        try (var h = harness("newer", 100)) {
            h.processElement(row("a", "2024-01-01T00:00:00Z", "Rome"));
            h.prepareSnapshotPreBarrier(1);
            h.processElement(row("b", "2024-01-01T00:00:00Z", "Oslo"));
            h.setProcessingTime(h.getProcessingTime() + 1_000);
            h.processElement(row("c", "2024-01-01T00:00:00Z", "Kyiv"));
            h.endInput();
            h.close();
            assertEquals(List.of(List.of("a@Rome"), List.of("b@Oslo"), List.of("c@Kyiv")), batches(h));
        }
    }
}
