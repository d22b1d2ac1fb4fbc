package dev.midstream.bench.jmh;

import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.record.KnownTexts;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records per second across the job's one network hop, the {@code keyBy} from the source chain to the
 * deduplicator, one core: each valid, normalized order serialized into Flink's network buffer form and read back,
 * as the two tasks do. Prints the bytes per record the hop carries. {@code form}: {@code job} is what the job sends
 * (known names and topics as numbers), {@code selfDescribing} the form state keeps (every name as its text).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KeyByBenchmark {
    static final int BATCH = 1000;

    @Param({"job", "selfDescribing"})
    public String form;

    private TypeSerializer<FlowRecord> serializer;
    private final DataOutputSerializer out = new DataOutputSerializer(64 * 1024);
    private final DataInputDeserializer in = new DataInputDeserializer();
    private List<FlowRecord> input;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OrdersChain chain = new OrdersChain();
        // the normalizer's output type, as the job builds it
        serializer = (form.equals("job") ? FlowRecordTypeInfo.acrossTasks(new KnownTexts(chain.spec.declaredTexts()))
                : FlowRecordTypeInfo.INSTANCE).createSerializer(new SerializerConfigImpl());
        input = chain.normalizedRecords(50_000, 7);
        long bytes = 0;
        long payload = 0;
        for (FlowRecord record : input) {
            out.clear();
            serializer.serialize(record, out);
            bytes += out.length();
            payload += record.payload == null ? 0 : record.payload.length;
        }
        System.out.printf("%n%s: %,d records, %,d bytes per record across the keyBy, of which %,d the raw payload%n",
                form, input.size(), bytes / input.size(), payload / input.size());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void serializeAndReadBack(Blackhole sink) throws IOException {
        for (int i = 0; i < BATCH; i++) {
            out.clear();
            serializer.serialize(input.get(next), out);
            in.setBuffer(out.getSharedBuffer(), 0, out.length());
            sink.consume(serializer.deserialize(in));
            next = next + 1 == input.size() ? 0 : next + 1;
        }
    }
}
