package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordSerializer;
import dev.midstream.record.RecordJson;
import dev.midstream.bench.jmh.OrdersChain;
import dev.midstream.source.RawRecord;
import dev.midstream.udf.Record;

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

import java.math.BigDecimal;
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
    private List<RecordTable.FieldReader> readers;
    private final List<List<FlowRecord>> pool = new ArrayList<>();
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OrdersChain chain = new OrdersChain();
        fields = chain.spec.sink().columns().stream().map(SinkSpec.Column::field)
                .filter(field -> !field.equals(SinkSpec.WRITTEN_AT)).toList();
        readers = fields.stream().map(RecordTable.FieldReader::of).toList();
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
        sink.consume(PostgresRecordTable.columnArrays(freshBatch(), readers));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void freshColumnByColumn(Blackhole sink) throws Exception {
        sink.consume(columnByColumn(freshBatch(), fields));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void coldRecordByRecord(Blackhole sink) {
        sink.consume(PostgresRecordTable.columnArrays(coldBatch(), readers));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void coldColumnByColumn(Blackhole sink) {
        sink.consume(columnByColumn(coldBatch(), fields));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void coldRecordByRecordByName(Blackhole sink) {
        sink.consume(recordByRecordByName(coldBatch(), fields));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void deserializeOnly(Blackhole sink) throws Exception {
        sink.consume(freshBatch());
    }

    /** How the arrays were filled before the column readers: each field found by its name for every record. */
    private static String[][] recordByRecordByName(List<FlowRecord> batch, List<String> fields) {
        String[][] columns = new String[fields.size()][batch.size()];
        for (int r = 0; r < batch.size(); r++) {
            FlowRecord record = batch.get(r);
            for (int i = 0; i < columns.length; i++) {
                columns[i][r] = oldText(byName(record, fields.get(i)));
            }
        }
        return columns;
    }

    /** The text form before the column readers: NUL replaced by scanning every value. */
    private static String oldText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Record || value instanceof List) {
            return RecordJson.write(value);
        }
        return value.toString().replace('\u0000', '\uFFFD');
    }

    /** How a field was found before the column readers: by its name, for every record. */
    private static Object byName(FlowRecord record, String field) {
        switch (field) {
            case "$source_topic":
                return record.sourceTopic;
            case "$source_partition":
                return record.sourcePartition;
            case "$source_offset":
                return record.sourceOffset;
            case SinkSpec.POSITION:
                return record.position();
            case SinkSpec.DELETED:
                return record.deleted;
            default:
                return record.data.get(field);
        }
    }

    /** How the arrays were filled before 2026-12-02: the whole batch walked once per column. */
    private static String[][] columnByColumn(List<FlowRecord> batch, List<String> fields) {
        String[][] columns = new String[fields.size()][batch.size()];
        for (int i = 0; i < columns.length; i++) {
            for (int r = 0; r < batch.size(); r++) {
                columns[i][r] = oldText(byName(batch.get(r), fields.get(i)));
            }
        }
        return columns;
    }
}
