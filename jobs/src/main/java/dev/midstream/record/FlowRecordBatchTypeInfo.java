package dev.midstream.record;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.List;

/**
 * The batches a table writer receives: lists of records, serialized as any list, but handed on without a copy. With
 * object reuse the JDBC connector copies every element it is given ({@code JdbcOutputFormat.copyIfNecessary}),
 * which for a batch is a deep copy of every record in it; the batcher builds a new list for every batch and nobody
 * changes it or its records afterwards, so that copy is pure cost. Never state: only the stream edge into a writer.
 */
public final class FlowRecordBatchTypeInfo extends ListTypeInfo<FlowRecord> {
    private static final long serialVersionUID = 1L;
    public static final FlowRecordBatchTypeInfo INSTANCE = new FlowRecordBatchTypeInfo();

    private FlowRecordBatchTypeInfo() {
        super(FlowRecordTypeInfo.INSTANCE);
    }

    @Override
    public TypeSerializer<List<FlowRecord>> createSerializer(SerializerConfig config) {
        return new Serializer((ListSerializer<FlowRecord>) super.createSerializer(config));
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FlowRecordBatchTypeInfo;
    }

    @Override
    public int hashCode() {
        return FlowRecordBatchTypeInfo.class.hashCode();
    }

    @Override
    public String toString() {
        return "FlowRecordBatch";
    }

    /** A list serializer whose copy is the list itself. */
    static final class Serializer extends TypeSerializer<List<FlowRecord>> {
        private static final long serialVersionUID = 1L;

        private final ListSerializer<FlowRecord> lists;

        Serializer(ListSerializer<FlowRecord> lists) {
            this.lists = lists;
        }

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public TypeSerializer<List<FlowRecord>> duplicate() {
            TypeSerializer<List<FlowRecord>> duplicate = lists.duplicate();
            return duplicate == lists ? this : new Serializer((ListSerializer<FlowRecord>) duplicate);
        }

        @Override
        public List<FlowRecord> createInstance() {
            return lists.createInstance();
        }

        @Override
        public List<FlowRecord> copy(List<FlowRecord> from) {
            return from;
        }

        @Override
        public List<FlowRecord> copy(List<FlowRecord> from, List<FlowRecord> reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return lists.getLength();
        }

        @Override
        public void serialize(List<FlowRecord> batch, DataOutputView target) throws IOException {
            lists.serialize(batch, target);
        }

        @Override
        public List<FlowRecord> deserialize(DataInputView source) throws IOException {
            return lists.deserialize(source);
        }

        @Override
        public List<FlowRecord> deserialize(List<FlowRecord> reuse, DataInputView source) throws IOException {
            return lists.deserialize(reuse, source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            lists.copy(source, target);
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Serializer other && lists.equals(other.lists);
        }

        @Override
        public int hashCode() {
            return lists.hashCode();
        }

        @Override
        public TypeSerializerSnapshot<List<FlowRecord>> snapshotConfiguration() {
            return lists.snapshotConfiguration();
        }
    }
}
