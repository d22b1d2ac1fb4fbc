package dev.midstream.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.host.FunctionHost;
import dev.midstream.host.Invoker;
import dev.midstream.model.RemoteSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordSerializer;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.testkit.FaultyHttpProxy;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The remote step's async operator in Flink's harness against a real function host on a loopback port (and a
 * faulty proxy in front of it): order, per-record errors, retries on 503 and 429, timeouts, bisection to the record
 * that crashes the function, failing fast on a refusal, dead letters when unavailable, and a restore that sends an
 * in-flight batch again.
 */
class RemoteCallTest {
    private static FunctionHost host;
    private static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("orders", 1024);

    @BeforeAll
    static void start() throws Exception {
        host = FunctionHost.start("127.0.0.1", 0, 4, 1 << 20, Invoker.fromClassPath(RemoteCallTest.class.getClassLoader()));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static String hostUrl() {
        return "http://127.0.0.1:" + host.port();
    }

    private static RemoteSpec spec(String url, String function, int maxAttempts, Duration timeout,
            RemoteSpec.OnUnavailable onUnavailable) {
        return new RemoteSpec(function, url, null, List.of(), Map.of(), Map.of(), 100, 1 << 20, Duration.ofMillis(20),
                4, timeout, maxAttempts, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(20),
                onUnavailable, false);
    }

    private static RemoteSpec spec(String url) {
        return spec(url, "misbehave", 8, Duration.ofSeconds(2), RemoteSpec.OnUnavailable.FAIL);
    }

    private static OneInputStreamOperatorTestHarness<List<FlowRecord>, Either<FlowRecord, DeadLetter>> harness(
            RemoteSpec spec) throws Exception {
        AsyncFunction<List<FlowRecord>, Either<FlowRecord, DeadLetter>> call = new RemoteCall("orders", "risk", spec,
                DEAD_LETTERS);
        var harness = new OneInputStreamOperatorTestHarness<>(new AsyncWaitOperatorFactory<>(call,
                RemoteCall.asyncTimeoutMillis(spec), 4, org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode.ORDERED),
                new ListSerializer<>(FlowRecordSerializer.INSTANCE));
        harness.setup(new EitherTypeInfo<>(FlowRecordTypeInfo.INSTANCE,
                DeadLetterFactory.TAG.getTypeInfo()).createSerializer(new SerializerConfigImpl()));
        return harness;
    }

    private static FlowRecord record(long offset, String mode) {
        return new FlowRecord(new Record().set("order_id", "o" + offset).set("mode", mode), "ods.orders", 0, offset,
                ("{\"order_id\":\"o" + offset + "\"}").getBytes());
    }

    private static List<FlowRecord> batch(long from, String... modes) {
        List<FlowRecord> batch = new ArrayList<>();
        for (int i = 0; i < modes.length; i++) {
            batch.add(record(from + i, modes[i]));
        }
        return batch;
    }

    /** Each output as {@code offset:ok[:fields]} or {@code offset:dead letter reason}. */
    private static List<String> outputs(OneInputStreamOperatorTestHarness<List<FlowRecord>, Either<FlowRecord, DeadLetter>> h)
            throws Exception {
        h.endInput();
        List<String> out = new ArrayList<>();
        for (Either<FlowRecord, DeadLetter> e : h.extractOutputValues()) {
            out.add(e.isLeft() ? e.left().sourceOffset + ":ok" + (e.left().data.has("part") ? ":part"
                    + e.left().data.get("part") : "") : e.right().sourceOffset + ":" + e.right().reason);
        }
        return out;
    }

    @Test
    void resultsKeepTheInputOrderWhateverOrderTheyComeBackIn() throws Exception {
        try (var h = harness(spec(hostUrl()))) {
            h.open();
            h.processElement(batch(0, "slow", "slow"), 0);
            h.processElement(batch(2, "pass", "split"), 0);
            h.processElement(batch(4, "drop", "throw"), 0);
            assertEquals(List.of("0:ok", "1:ok", "2:ok", "3:ok:part1", "3:ok:part2",
                    "5:remote function 'misbehave': function 'misbehave' failed: java.lang.IllegalStateException: boom"),
                    outputs(h), "the filtered record 4 has no output; the failed one is a dead letter in its place");
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertEquals(2_000_000_000L, RemoteClient.retryAfterNanos("2"));
        String inHalfAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30));
        long nanos = RemoteClient.retryAfterNanos(inHalfAMinute);
        assertTrue(nanos > 25_000_000_000L && nanos <= 30_000_000_000L, inHalfAMinute + " -> " + nanos);
        assertEquals(0, RemoteClient.retryAfterNanos("soon"), "neither: the backoff alone");
    }

    @Test
    void unavailableAnswersAreRetriedHonouringRetryAfter() throws Exception {
        try (FaultyHttpProxy proxy = new FaultyHttpProxy(hostUrl()); var h = harness(spec(proxy.url()))) {
            proxy.answer(2, 503, null);
            proxy.answer(1, 429, "1");
            h.open();
            long start = System.nanoTime();
            h.processElement(batch(0, "pass", "pass"), 0);
            assertEquals(List.of("0:ok", "1:ok"), outputs(h));
            assertTrue(System.nanoTime() - start >= 1_000_000_000L, "waited as Retry-After said");
            assertEquals(4, proxy.requests(), "two 503s, one 429, then the answer");
            assertEquals(Map.of("orders/risk/ods.orders-0@0#0", 1, "orders/risk/ods.orders-0@1#0", 1), proxy.idsSeen(),
                    "the proxy forwards only the attempt that reached the host");
        }
    }

    @Test
    void anAttemptSlowerThanTheTimeoutIsRetried() throws Exception {
        try (FaultyHttpProxy proxy = new FaultyHttpProxy(hostUrl());
                var h = harness(spec(proxy.url(), "misbehave", 8, Duration.ofMillis(300), RemoteSpec.OnUnavailable.FAIL))) {
            proxy.delay(1, 1_000);
            h.open();
            h.processElement(batch(0, "pass"), 0);
            assertEquals(List.of("0:ok"), outputs(h));
            assertEquals(2, proxy.requests());
            // The abandoned attempt is still on its way (the proxy holds it 1 s): it reaches the host after the answer.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(
                    Map.of("orders/risk/ods.orders-0@0#0", 2), proxy.idsSeen(),
                    "the slow attempt reached the host too: the id was sent twice, which is why calls carry ids"));
        }
    }

    @Test
    void aBatchThatCrashesTheFunctionIsSplitUntilTheOneRecordIsFound() throws Exception {
        try (var h = harness(spec(hostUrl(), "misbehave", 2, Duration.ofSeconds(2), RemoteSpec.OnUnavailable.FAIL))) {
            h.open();
            h.processElement(batch(0, "pass", "pass", "pass", "pass", "pass", "crash", "pass", "pass"), 0);
            List<String> out = outputs(h);
            assertEquals(8, out.size());
            assertEquals(List.of("0:ok", "1:ok", "2:ok", "3:ok", "4:ok"), out.subList(0, 5));
            assertTrue(out.get(5).startsWith("5:remote function 'misbehave': the function failed on this record (500):"
                    + " function 'misbehave' crashed on record orders/risk/ods.orders-0@5#0"), out.get(5));
            assertEquals(List.of("6:ok", "7:ok"), out.subList(6, 8));
        }
    }

    @Test
    void aRefusalFailsTheJobAtOnceNamingTheStepAndUrl() throws Exception {
        try (var h = harness(spec(hostUrl(), "no_such_function", 8, Duration.ofSeconds(2), RemoteSpec.OnUnavailable.FAIL))) {
            h.getEnvironment().setExpectedExternalFailureCause(Throwable.class);
            h.open();
            h.processElement(batch(0, "pass"), 0);
            // A failed async call fails the task (the harness's environment records it, as a TaskManager would).
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> h.getEnvironment().getActualExternalFailureCause().isPresent());
            String message = String.valueOf(rootMessage(h.getEnvironment().getActualExternalFailureCause().get()));
            assertTrue(message.startsWith("step 'risk': remote function 'no_such_function' at " + hostUrl()
                    + " answered 404: no function 'no_such_function' here"), message);
        }
    }

    @Test
    void aHostThatStaysDownMakesDeadLettersWhenToldSo() throws Exception {
        int closedPort = dev.midstream.testkit.FreePort.pick();
        try (var h = harness(spec("http://127.0.0.1:" + closedPort, "misbehave", 3, Duration.ofMillis(500),
                RemoteSpec.OnUnavailable.DEAD_LETTER))) {
            h.open();
            List<FlowRecord> batch = batch(0, "pass");
            batch.add(record(1, "pass").change(true, 0, 0));
            h.processElement(batch, 0);
            List<String> out = outputs(h);
            assertTrue(out.get(0).startsWith("0:remote function 'misbehave': step 'risk': remote function 'misbehave'"
                    + " at http://127.0.0.1:" + closedPort + " unavailable after 3 attempts: ConnectException"), out.get(0));
            assertEquals("1:ok", out.get(1), "a delete passes unchanged, in place");
        }
    }

    @Test
    void aBatchInFlightAtACheckpointIsSentAgainAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (FaultyHttpProxy proxy = new FaultyHttpProxy(hostUrl())) {
            proxy.delay(1, 3_000);
            try (var h = harness(spec(proxy.url(), "misbehave", 8, Duration.ofSeconds(10), RemoteSpec.OnUnavailable.FAIL))) {
                h.open();
                h.processElement(batch(0, "pass", "pass"), 0);
                Thread.sleep(200); // the call is on its way
                snapshot = h.snapshot(1, 1);
            }
            try (var restored = harness(spec(proxy.url()))) {
                restored.initializeState(snapshot);
                restored.open();
                assertEquals(List.of("0:ok", "1:ok"), outputs(restored));
            }
            Thread.sleep(3_000);
            assertEquals(Map.of("orders/risk/ods.orders-0@0#0", 2, "orders/risk/ods.orders-0@1#0", 2), proxy.idsSeen(),
                    "the host saw the batch twice, with the same ids");
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
