package dev.midstream.bench.jmh;

import dev.midstream.record.FlowRecord;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
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
 * Records per second through the keyed deduplicator on heap state, one core: the valid, normalized versions of the
 * tests' messy orders (new orders, newer versions, duplicates and stale versions), cycled, so later passes see
 * every key again as the TTL'd state would hold it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DedupBenchmark {
    static final int BATCH = 1000;

    private List<FlowRecord> input;
    private KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord> dedup;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OrdersChain chain = new OrdersChain();
        input = chain.normalizedRecords(200_000, 7);
        dedup = chain.deduplicator();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dedup.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void deduplicate(Blackhole sink) throws Exception {
        for (int i = 0; i < BATCH; i++) {
            dedup.processElement(new StreamRecord<>(input.get(next)));
            next = next + 1 == input.size() ? 0 : next + 1;
        }
        for (Object o = dedup.getOutput().poll(); o != null; o = dedup.getOutput().poll()) {
            sink.consume(o);
        }
    }
}
