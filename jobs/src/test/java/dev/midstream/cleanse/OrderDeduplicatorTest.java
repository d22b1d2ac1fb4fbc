package dev.midstream.cleanse;

import static dev.midstream.cleanse.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.orders.OrderEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class OrderDeduplicatorTest {
    private static final Duration TTL = Duration.ofHours(24);
    private KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, OrderEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, OrderEvent> newHarness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new OrderDeduplicator(TTL, DEAD_LETTERS), e -> e.orderId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<String> passedVersions() {
        return harness.extractOutputValues().stream().map(e -> e.orderId + "@" + e.eventTime).toList();
    }

    @Test
    void firstCopyPassesAndIdenticalResendIsDropped() throws Exception {
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        assertEquals(List.of("A@2026-11-01T00:00:00Z"), passedVersions());
        assertNull(harness.getSideOutput(DeadLetterFactory.TAG));
        assertEquals(1, harness.numKeyedStateEntries());
    }

    @Test
    void newerVersionPassesAndOlderNeverDoes() throws Exception {
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        harness.processElement(event("A", "2026-11-01T01:00:00Z", "10.00", "paid"), 0);
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        harness.processElement(event("A", "2026-11-01T00:30:00Z", "10.00", "created"), 0);
        assertEquals(List.of("A@2026-11-01T00:00:00Z", "A@2026-11-01T01:00:00Z"), passedVersions());
    }

    @Test
    void keysAreIndependent() throws Exception {
        harness.processElement(event("A", "2026-11-01T01:00:00Z", "10.00", "created"), 0);
        harness.processElement(event("B", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        assertEquals(2, harness.extractOutputValues().size());
        assertEquals(2, harness.numKeyedStateEntries());
    }

    @Test
    void sameVersionWithDifferentContentIsADedupDeadLetter() throws Exception {
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        OrderEvent conflicting = event("A", "2026-11-01T00:00:00Z", "11.00", "created");
        harness.processElement(conflicting, 0);

        assertEquals(1, harness.extractOutputValues().size());
        DeadLetter letter = harness.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue)
                .findFirst().orElseThrow();
        assertEquals(Stage.DEDUP, letter.stage);
        assertEquals("conflicting_version", letter.rule);
        assertEquals(conflicting.sourceOffset, letter.sourceOffset);
    }

    @Test
    void duplicateAfterTtlExpiryPassesAgain() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        assertEquals(1, harness.extractOutputValues().size(), "still within TTL");

        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        assertEquals(2, harness.extractOutputValues().size(), "expired: remembered version is gone");
    }

    @Test
    void dedupStateSurvivesSnapshotAndRestore() throws Exception {
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OrderDeduplicator(TTL, DEAD_LETTERS)), e -> e.orderId, Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        harness.processElement(event("A", "2026-11-01T02:00:00Z", "10.00", "paid"), 0);
        assertEquals(List.of("A@2026-11-01T02:00:00Z"), passedVersions());
    }

    @Test
    void noTimersAreLeftBehind() throws Exception {
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        assertEquals(0, harness.numProcessingTimeTimers());
        assertEquals(0, harness.numEventTimeTimers());
    }
}
