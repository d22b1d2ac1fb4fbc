package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.orders.OrderRow;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

class UpsertBatcherTest {
    private OneInputStreamOperatorTestHarness<OrderRow, OrderRowBatch> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(
                new UpsertBatcher(3, Duration.ofMillis(100), new DeadLetterFactory("orders", 64)));
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private OrderRow row(String id, String time, String amount) {
        OrderRow r = new OrderRow();
        r.orderId = id;
        r.customerId = "C";
        r.customerEmailHash = "h";
        r.amount = new BigDecimal(amount);
        r.currency = "USD";
        r.status = "created";
        r.eventTime = Instant.parse(time);
        r.sourceTopic = "ods.orders";
        r.sourceOffset = offset++;
        return r;
    }

    private List<OrderRowBatch> batches() {
        return harness.extractOutputValues();
    }

    @Test
    void fullBatchLeavesAtOnceWithDistinctKeys() throws Exception {
        harness.processElement(row("A", "2026-11-01T00:00:00Z", "1.00"), 0);
        harness.processElement(row("B", "2026-11-01T00:00:00Z", "1.00"), 0);
        harness.processElement(row("A", "2026-11-01T01:00:00Z", "2.00"), 0);
        assertTrue(batches().isEmpty(), "A twice counts once: the batch is not full yet");
        harness.processElement(row("C", "2026-11-01T00:00:00Z", "1.00"), 0);

        assertEquals(1, batches().size());
        OrderRow[] rows = batches().get(0).rows;
        assertEquals(List.of("A", "B", "C"), Arrays.stream(rows).map(r -> r.orderId).toList());
        assertEquals(Instant.parse("2026-11-01T01:00:00Z"), rows[0].eventTime, "newer version replaced the older");
    }

    @Test
    void olderVersionNeverReplacesABufferedNewerOne() throws Exception {
        harness.processElement(row("A", "2026-11-01T01:00:00Z", "2.00"), 0);
        harness.processElement(row("A", "2026-11-01T00:00:00Z", "1.00"), 0);
        harness.prepareSnapshotPreBarrier(1);
        assertEquals(Instant.parse("2026-11-01T01:00:00Z"), batches().get(0).rows[0].eventTime);
    }

    @Test
    void partialBatchLeavesAfterTheInterval() throws Exception {
        harness.processElement(row("A", "2026-11-01T00:00:00Z", "1.00"), 0);
        harness.setProcessingTime(99);
        assertTrue(batches().isEmpty());
        harness.setProcessingTime(100);
        assertEquals(1, batches().size());
        harness.setProcessingTime(1000);
        assertEquals(1, batches().size(), "an empty buffer emits nothing");
    }

    @Test
    void nothingStaysBufferedAcrossACheckpointBarrier() throws Exception {
        harness.processElement(row("A", "2026-11-01T00:00:00Z", "1.00"), 0);
        harness.processElement(row("B", "2026-11-01T00:00:00Z", "1.00"), 0);
        harness.prepareSnapshotPreBarrier(7);
        assertEquals(1, batches().size());
        assertEquals(2, batches().get(0).size());
    }

    @Test
    void endOfInputFlushes() throws Exception {
        harness.processElement(row("A", "2026-11-01T00:00:00Z", "1.00"), 0);
        harness.getOneInputOperator().finish();
        assertEquals(1, batches().size());
    }

    @Test
    void everyBatchHoldsEachKeyAtMostOnce() throws Exception {
        String[] keys = {"A", "B", "A", "C", "B", "D", "A", "E", "E", "F", "A"};
        for (int i = 0; i < keys.length; i++) {
            harness.processElement(row(keys[i], Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i).toString(), "1.00"), 0);
        }
        harness.prepareSnapshotPreBarrier(1);
        for (OrderRowBatch batch : batches()) {
            assertEquals(batch.size(), new HashSet<>(Arrays.stream(batch.rows).map(r -> r.orderId).toList()).size());
        }
    }

    @Test
    void rowTheTableCannotHoldIsASinkDeadLetter() throws Exception {
        OrderRow huge = row("A", "2026-11-01T00:00:00Z", "1000000000000.00");
        harness.processElement(huge, 0);
        harness.prepareSnapshotPreBarrier(1);

        assertTrue(batches().isEmpty());
        DeadLetter letter = harness.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue)
                .findFirst().orElseThrow();
        assertEquals(Stage.SINK, letter.stage);
        assertEquals("column_overflow", letter.rule);
        assertEquals(huge.sourceOffset, letter.sourceOffset);
    }
}
