package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordBatchTypeInfo;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

class RecordBatcherTest {
    private static OneInputStreamOperatorTestHarness<FlowRecord, List<FlowRecord>> harness(String upsert, int size)
            throws Exception {
        return harness(upsert, size, null);
    }

    private static OneInputStreamOperatorTestHarness<FlowRecord, List<FlowRecord>> harness(String upsert, int size,
            RowEncoder rows) throws Exception {
        OneInputStreamOperatorTestHarness<FlowRecord, List<FlowRecord>> h = new OneInputStreamOperatorTestHarness<>(
                new RecordBatcher(RecordTableIntegrationTest.spec(upsert).sink(), size, Duration.ofSeconds(1), rows));
        // The job's batch type, which hands a batch on as it is.
        h.setup(FlowRecordBatchTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl()));
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
    void eachKeptRecordCarriesTheRowEncodedWhenItArrived() throws Exception {
        RowEncoder cityAndId = r -> (r.data.getString("id") + "@" + r.data.getString("place.city"))
                .getBytes(StandardCharsets.UTF_8);
        try (var h = harness("newer", 10, cityAndId)) {
            StreamRecord<FlowRecord> rome = row("a", "2024-01-02T00:00:00Z", "Rome");
            h.processElement(rome);
            h.processElement(row("a", "2024-01-01T00:00:00Z", "Bern"));   // older: not kept
            h.processElement(row("b", "2024-01-01T00:00:00Z", "Oslo"));
            // Changed after it arrived: the row the batch carries is the one encoded on arrival.
            rome.getValue().data.set("place", new Record().set("city", "Pisa"));
            h.prepareSnapshotPreBarrier(1);
            List<List<FlowRecord>> out = h.extractOutputValues();
            assertEquals(1, out.size());
            RecordBatch batch = assertInstanceOf(RecordBatch.class, out.get(0));
            assertEquals(List.of("a@Pisa", "b@Oslo"), batch.stream()
                    .map(r -> r.data.getString("id") + "@" + r.data.getString("place.city")).toList());
            assertEquals("a@Rome", new String(batch.row(0), StandardCharsets.UTF_8));
            assertEquals("b@Oslo", new String(batch.row(1), StandardCharsets.UTF_8));
        }
    }

    @Test
    void withoutAnEncoderABatchHasNoRows() throws Exception {
        try (var h = harness("newer", 1)) {
            h.processElement(row("a", "2024-01-02T00:00:00Z", "Rome"));
            assertNull(assertInstanceOf(RecordBatch.class, h.extractOutputValues().get(0)).row(0));
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
