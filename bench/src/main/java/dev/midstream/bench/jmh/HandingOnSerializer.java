package dev.midstream.bench.jmh;

import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordSerializer;

import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * {@link FlowRecordSerializer} whose copies are the record itself: a test harness's output copies every record it
 * collects, and with this it hands records on as chained operators do in the job, which runs with object reuse.
 */
final class HandingOnSerializer extends TypeSerializerSingleton<FlowRecord> {
    private static final long serialVersionUID = 1L;
    private static final FlowRecordSerializer RECORDS = FlowRecordSerializer.INSTANCE;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public FlowRecord createInstance() {
        return RECORDS.createInstance();
    }

    @Override
    public FlowRecord copy(FlowRecord from) {
        return from;
    }

    @Override
    public FlowRecord copy(FlowRecord from, FlowRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return RECORDS.getLength();
    }

    @Override
    public void serialize(FlowRecord record, DataOutputView target) throws IOException {
        RECORDS.serialize(record, target);
    }

    @Override
    public FlowRecord deserialize(DataInputView source) throws IOException {
        return RECORDS.deserialize(source);
    }

    @Override
    public FlowRecord deserialize(FlowRecord reuse, DataInputView source) throws IOException {
        return RECORDS.deserialize(reuse, source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        RECORDS.copy(source, target);
    }

    @Override
    public TypeSerializerSnapshot<FlowRecord> snapshotConfiguration() {
        return RECORDS.snapshotConfiguration();
    }
}
