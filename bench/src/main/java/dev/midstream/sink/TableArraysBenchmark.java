package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordSerializer;
import dev.midstream.bench.jmh.OrdersChain;
import dev.midstream.source.RawRecord;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second turned into the PostgreSQL upsert's text arrays, one core: 500-row batches of the orders
 * pipeline's clean records, deserialized as the table's task gets them over the network. {@code cold*} read batches
 * from a pool of 200 (about 100,000 records, far more than the CPU's caches), as the job's batches are by the time
 * they are written; {@code fresh*} deserialize the batch just before, so it is in cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TableArraysBenchmark {
    static final int BATCH = 500;

    static final int POOL = 200;

    private byte[] batch;
    private List<String> fields;
    private final List<List<FlowRecord>> pool = new ArrayList<>();
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OrdersChain chain = new OrdersChain();
        fields = chain.spec.sink().columns().stream().map(SinkSpec.Column::field)
                .filter(field -> !field.equals(SinkSpec.WRITTEN_AT)).toList();
        OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> validator = chain.validator();
        DataOutputSerializer out = new DataOutputSerializer(1 << 20);
        int clean = 0;
        for (RawRecord raw : OrdersChain.rawRecords(2 * BATCH, 7)) {
            validator.processElement(new StreamRecord<>(raw));
        }
        for (Object o = validator.getOutput().poll(); o != null && clean < BATCH; o = validator.getOutput().poll()) {
            if (o instanceof StreamRecord<?> r) {
                FlowRecordSerializer.INSTANCE.serialize((FlowRecord) r.getValue(), out);
                clean++;
            }
        }
        validator.close();
        if (clean < BATCH) {
            throw new IllegalStateException("only " + clean + " clean records");
        }
        batch = out.getCopyOfBuffer();
        for (int i = 0; i < POOL; i++) {
            pool.add(freshBatch());
        }
    }

    private List<FlowRecord> coldBatch() {
        next = next + 1 == POOL ? 0 : next + 1;
        return pool.get(next);
    }

    private List<FlowRecord> freshBatch() throws Exception {
        DataInputDeserializer in = new DataInputDeserializer(batch);
        List<FlowRecord> records = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            records.add(FlowRecordSerializer.INSTANCE.deserialize(in));
        }
        return records;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void freshRecordByRecord(Blackhole sink) throws Exception {
        sink.consume(PostgresRecordTable.columnArrays(freshBatch(), fields));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void freshColumnByColumn(Blackhole sink) throws Exception {
        sink.consume(columnByColumn(freshBatch(), fields));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void coldRecordByRecord(Blackhole sink) {
        sink.consume(PostgresRecordTable.columnArrays(coldBatch(), fields));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void coldColumnByColumn(Blackhole sink) {
        sink.consume(columnByColumn(coldBatch(), fields));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void deserializeOnly(Blackhole sink) throws Exception {
        sink.consume(freshBatch());
    }

    /** How the arrays were filled before 2026-12-02: the whole batch walked once per column. */
    private static String[][] columnByColumn(List<FlowRecord> batch, List<String> fields) {
        String[][] columns = new String[fields.size()][batch.size()];
        for (int i = 0; i < columns.length; i++) {
            for (int r = 0; r < batch.size(); r++) {
                columns[i][r] = RecordTable.text(batch.get(r), fields.get(i));
            }
        }
        return columns;
    }
}
