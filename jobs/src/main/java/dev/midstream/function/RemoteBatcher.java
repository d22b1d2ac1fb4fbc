package dev.midstream.function;

import dev.midstream.model.RemoteSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.RecordJson;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * A remote step's records into batches for {@link RemoteCall}, in arrival order: a batch leaves when it holds
 * {@code max_records} or the next record would take it past {@code max_bytes} (of the fields sent), when
 * {@code linger} has passed since its first record, before every checkpoint barrier and at the end of input, so the
 * batches in flight are in the async operator's state and nothing waits here across a checkpoint.
 *
 * <p>The records one source record became (a step before may emit several) stay in one batch: their ids count
 * them within the batch ({@link RemoteCall#ids}), so a batch ends on a size limit only where the next record comes
 * from another source position. Barriers and timers cannot fall inside such a run: the steps before are chained,
 * so a run arrives within one call of the chain.
 */
public class RemoteBatcher extends AbstractStreamOperator<List<FlowRecord>>
        implements OneInputStreamOperator<FlowRecord, List<FlowRecord>>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final RemoteSpec spec;

    private transient List<FlowRecord> buffer;
    private transient long bytes;
    private transient boolean timerPending;

    public RemoteBatcher(RemoteSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(spec.maxRecords());
    }

    @Override
    public void processElement(StreamRecord<FlowRecord> element) {
        FlowRecord record = element.getValue();
        long size = record.deleted ? 0 : RecordJson.write(RemoteCall.sent(record.data, spec.fields())).length() + 64L;
        if (!buffer.isEmpty() && (buffer.size() >= spec.maxRecords() || bytes + size > spec.maxBytes())
                && !RemoteCall.sameSource(buffer.get(buffer.size() - 1), record)) {
            emit();
        }
        buffer.add(record);
        bytes += size;
        if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + spec.linger().toMillis(), this);
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerPending = false;
        emit();
    }

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
        List<FlowRecord> batch = buffer;
        buffer = new ArrayList<>(spec.maxRecords());
        bytes = 0;
        output.collect(new StreamRecord<>(batch));
    }
}
