package dev.midstream.record;

import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * The form of {@link FlowRecord} before changes had an operation and a position (snapshot versions 2 and 3): read
 * only to migrate state from those savepoints; what it reads are upserts at position 0.
 */
public final class LegacyFlowRecordSerializer extends TypeSerializerSingleton<FlowRecord> {
    private static final long serialVersionUID = 1L;
    public static final LegacyFlowRecordSerializer INSTANCE = new LegacyFlowRecordSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public FlowRecord createInstance() {
        return FlowRecordSerializer.INSTANCE.createInstance();
    }

    @Override
    public FlowRecord copy(FlowRecord from) {
        return FlowRecordSerializer.INSTANCE.copy(from);
    }

    @Override
    public FlowRecord copy(FlowRecord from, FlowRecord reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FlowRecord record, DataOutputView out) throws IOException {
        StringValue.writeString(record.sourceTopic, out);
        FlowRecordSerializer.writeSource(record, out);
        FlowRecordSerializer.writeRecord(record.data, FieldNameCodec.TEXT, out);
    }

    @Override
    public FlowRecord deserialize(DataInputView in) throws IOException {
        FlowRecord record = FlowRecordSerializer.readProvenance(in);
        record.data = FlowRecordSerializer.readRecord(FieldNameCodec.TEXT, in);
        return record;
    }

    @Override
    public FlowRecord deserialize(FlowRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /** Describes the legacy form: restoring from it migrates to {@link FlowRecordSerializer}. */
    @Override
    public TypeSerializerSnapshot<FlowRecord> snapshotConfiguration() {
        FlowRecordSerializer.Snapshot snapshot = new FlowRecordSerializer.Snapshot();
        try {
            snapshot.readSnapshot(3, null, getClass().getClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return snapshot;
    }
}
