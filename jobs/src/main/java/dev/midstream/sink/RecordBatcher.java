package dev.midstream.sink;

import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline's clean records in, batches for {@link RecordTable#batchUpsertSql()} out, with at most one record per
 * primary key in a batch (PostgreSQL refuses to update a row twice in one statement; a delete and an upsert of one
 * key must not meet in one batch): for {@code upsert: newer} the
 * buffered record is replaced only by one whose version is not older, otherwise by the later one. A batch leaves
 * when it is full, when the interval since its first record has passed, before every checkpoint barrier and at the
 * end of input, so nothing waits here across a checkpoint and the buffer needs no state. With a {@link RowEncoder},
 * each record kept is encoded as it arrives and the batch ({@link RecordBatch}) carries the rows.
 */
public class RecordBatcher extends AbstractStreamOperator<List<FlowRecord>>
        implements OneInputStreamOperator<FlowRecord, List<FlowRecord>>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final List<RecordTable.FieldReader> keyFields;
    private final String versionField;
    private final RecordTable.FieldReader versionReader;
    private final int batchSize;
    private final long intervalMillis;
    private final RowEncoder rowEncoder;

    private transient Map<String, Pending> buffer;
    private transient boolean timerPending;
    private transient Counter superseded;

    /** {@code rowEncoder}: how the table's writer wants each row encoded, or null if it takes the records. */
    public RecordBatcher(SinkSpec sink, int batchSize, Duration interval, RowEncoder rowEncoder) {
        this.keyFields = sink.primaryKey().stream().map(pk -> RecordTable.FieldReader.of(field(sink, pk))).toList();
        this.versionField = sink.upsert() == SinkSpec.Upsert.NEWER ? field(sink, sink.versionColumn()) : null;
        this.versionReader = versionField == null ? null : RecordTable.FieldReader.of(versionField);
        this.batchSize = batchSize;
        this.intervalMillis = interval.toMillis();
        this.rowEncoder = rowEncoder;
    }

    private static String field(SinkSpec sink, String column) {
        return sink.columns().stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow().field();
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new LinkedHashMap<>(batchSize * 2);
        superseded = new StageMetrics(getMetricGroup()).counter("sink", "superseded");
    }

    @Override
    public void processElement(StreamRecord<FlowRecord> element) {
        FlowRecord record = element.getValue();
        String key = key(record);
        Pending buffered = buffer.get(key);
        if (buffered == null) {
            buffer.put(key, pending(record));
        } else {
            superseded.inc();
            if (!olderThan(record, buffered.record)) {
                buffer.put(key, pending(record));
            }
        }
        if (buffer.size() >= batchSize) {
            emit();
        } else if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + intervalMillis, this);
        }
    }

    private Pending pending(FlowRecord record) {
        return new Pending(record, rowEncoder == null ? null : rowEncoder.encode(record));
    }

    private String key(FlowRecord record) {
        if (keyFields.size() == 1) {
            return RecordTable.text(keyFields.get(0).read(record));
        }
        StringBuilder key = new StringBuilder();
        for (RecordTable.FieldReader field : keyFields) {
            key.append(RecordTable.text(field.read(record))).append('\u0000');
        }
        return key.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean olderThan(FlowRecord record, FlowRecord buffered) {
        if (versionField == null) {
            return false;
        }
        if (versionField.equals(SinkSpec.POSITION)) {
            return record.comparePosition(buffered) < 0;
        }
        Object mine = versionReader.read(record);
        Object theirs = versionReader.read(buffered);
        return mine instanceof Comparable m && theirs != null && m.compareTo(theirs) < 0;
    }

    @Override
    public void onProcessingTime(long time) {
        timerPending = false;
        emit();
    }

    // Runs before the sink writer's own pre-barrier flush: operators in a chain are called head to tail.
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emit();
    }

    @Override
    public void finish() throws Exception {
        emit();
        super.finish();
    }

    private void emit() {
        if (buffer.isEmpty()) {
            return;
        }
        FlowRecord[] records = new FlowRecord[buffer.size()];
        byte[][] rows = rowEncoder == null ? null : new byte[records.length][];
        int i = 0;
        for (Pending pending : buffer.values()) {
            records[i] = pending.record;
            if (rows != null) {
                rows[i] = pending.row;
            }
            i++;
        }
        buffer.clear();
        output.collect(new StreamRecord<>(new RecordBatch(records, rows)));
    }

    private record Pending(FlowRecord record, byte[] row) {}
}
