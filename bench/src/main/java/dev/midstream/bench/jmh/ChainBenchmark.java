package dev.midstream.bench.jmh;

import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records per second through parse + validate → normalize → mask on one core, for the orders pipeline and the
 * tests' messy input (about 12 % rejected, so dead letters are built too). The operators run in Flink's test
 * harnesses; each hand-off passes the record on without a copy, as chained operators do in the job (object reuse
 * on), through the harness's output queue, which the job does not have.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChainBenchmark {
    static final int BATCH = 1000;

    private List<RawRecord> input;
    private OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> validator;
    private OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> normalizer;
    private OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> masker;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OrdersChain chain = new OrdersChain();
        input = OrdersChain.rawRecords(20_000, 42);
        validator = chain.validator();
        normalizer = chain.normalizer();
        masker = chain.masker();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        validator.close();
        normalizer.close();
        masker.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void parseValidateNormalizeMask(Blackhole sink) throws Exception {
        for (int i = 0; i < BATCH; i++) {
            RawRecord raw = input.get(next);
            next = next + 1 == input.size() ? 0 : next + 1;
            validator.processElement(new StreamRecord<>(raw));
        }
        drain(validator, normalizer);
        drain(normalizer, masker);
        for (Object o = masker.getOutput().poll(); o != null; o = masker.getOutput().poll()) {
            sink.consume(o);
        }
        var rejected = validator.getSideOutput(dev.midstream.deadletter.DeadLetterFactory.TAG);
        if (rejected != null) {
            for (Object o = rejected.poll(); o != null; o = rejected.poll()) {
                sink.consume(o);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void drain(OneInputStreamOperatorTestHarness<?, FlowRecord> from,
            OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> to) throws Exception {
        for (Object o = from.getOutput().poll(); o != null; o = from.getOutput().poll()) {
            if (o instanceof StreamRecord<?> r) {
                to.processElement((StreamRecord<FlowRecord>) r);
            }
        }
    }
}
