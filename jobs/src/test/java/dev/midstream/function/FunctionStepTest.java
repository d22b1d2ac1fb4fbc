package dev.midstream.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Expression;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** User functions and map steps inside the job: bad output never escapes, bad input never stops the job. */
class FunctionStepTest {
    private static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("test", 100);

    private static FlowRecord record(String mode) {
        return new FlowRecord(new Record().set("id", "r1").set("mode", mode), "t", 0, 42,
                "{\"raw\":1}".getBytes(StandardCharsets.UTF_8));
    }

    private static OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> run(
            ProcessFunction<FlowRecord, FlowRecord> step, FlowRecord... records) throws Exception {
        OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> harness = ProcessFunctionTestHarnesses.forProcessFunction(step);
        for (FlowRecord r : records) {
            harness.processElement(r, 0);
        }
        return harness;
    }

    private static FunctionStep misbehave() {
        return new FunctionStep("test", "risky", "misbehave", Parameters.empty(), DEAD_LETTERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"throw", "null", "half", "bad_type"})
    void aFailingFunctionSendsItsInputToDeadLettersAndEmitsNothing(String mode) throws Exception {
        try (var harness = run(misbehave(), record(mode), record("ok"))) {
            List<FlowRecord> out = harness.extractOutputValues();
            assertEquals(1, out.size(), "only the good record passes");
            assertEquals("ok", out.get(0).data.getString("mode"));
            List<DeadLetter> letters = harness.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).toList();
            assertEquals(1, letters.size());
            DeadLetter letter = letters.get(0);
            assertEquals("udf:risky", letter.stageLabel());
            assertEquals("misbehave", letter.rule);
            assertEquals(42, letter.sourceOffset);
            assertEquals("{\"raw\":1}", new String(letter.payload, StandardCharsets.UTF_8));
            assertTrue(letter.reason.startsWith("function 'misbehave' failed: "), letter.reason);
        }
    }

    @Test
    void theExceptionIsTheReason() throws Exception {
        try (var harness = run(misbehave(), record("throw"))) {
            assertEquals("function 'misbehave' failed: java.lang.IllegalStateException: boom",
                    harness.getSideOutput(DeadLetterFactory.TAG).peek().getValue().reason);
        }
    }

    @Test
    void rowsOfOneInputKeepItsProvenance() throws Exception {
        try (var harness = run(misbehave(), record("split"))) {
            List<FlowRecord> out = harness.extractOutputValues();
            assertEquals(List.of(1L, 2L), out.stream().map(r -> r.data.getLong("part")).toList());
            assertTrue(out.stream().allMatch(r -> r.sourceOffset == 42));
        }
    }

    @Test
    void aRowEmittedTwiceBecomesTwoRecordsThatChangeApart() throws Exception {
        FunctionStep step = misbehave();
        try (var harness = run(step)) {
            // Not through the harness's output, which copies what it collects.
            List<FlowRecord> out = new java.util.ArrayList<>();
            step.processElement(record("twice"), null, new org.apache.flink.api.common.functions.util.ListCollector<>(out));
            assertEquals(2, out.size());
            // What the masker does downstream, where records arrive without copies: one change must not reach both.
            out.get(0).data.set("mode", "masked");
            assertEquals("twice", out.get(1).data.getString("mode"));
        }
    }

    @Test
    void aFunctionMayFilter() throws Exception {
        try (var harness = run(misbehave(), record("drop"))) {
            assertEquals(List.of(), harness.extractOutputValues());
            assertNull(harness.getSideOutput(DeadLetterFactory.TAG));
        }
    }

    @Test
    void aFunctionMissingAtStartIsANamedError() {
        FunctionStep missing = new FunctionStep("test", "enrich", "no_such_function", Parameters.empty(), DEAD_LETTERS);
        Exception e = assertThrows(Exception.class, () -> run(missing));
        assertTrue(e.getMessage().contains("user function 'no_such_function' of step 'enrich' is not on the class path"),
                e.getMessage());
    }

    @Test
    void aMapStepRenamesDerivesAndDropsTheRest() throws Exception {
        Map<String, Expression> mapping = new LinkedHashMap<>();
        mapping.put("key", Expression.parse("id"));
        mapping.put("label", Expression.parse("concat(upper(mode), '-', id)"));
        try (var harness = run(new MappingStep("shape", mapping, false, DEAD_LETTERS), record("ok"))) {
            Record out = harness.extractOutputValues().get(0).data;
            assertEquals(List.of("key", "label"), List.copyOf(out.fieldNames()));
            assertEquals("OK-r1", out.getString("label"));
        }
    }

    @Test
    void aMapStepThatCannotEvaluateIsATransformDeadLetter() throws Exception {
        Map<String, Expression> mapping = Map.of("twice", Expression.parse("mode * 2"));
        try (var harness = run(new MappingStep("shape", mapping, true, DEAD_LETTERS), record("ok"))) {
            assertEquals(List.of(), harness.extractOutputValues());
            DeadLetter letter = harness.getSideOutput(DeadLetterFactory.TAG).peek().getValue();
            assertEquals("transform", letter.stageLabel());
            assertEquals("shape", letter.rule);
            assertEquals("twice", letter.field);
        }
    }
}
