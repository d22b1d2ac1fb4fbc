package dev.midstream.record;

import dev.midstream.udf.Record;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Self-describing binary form of a {@link FlowRecord}: provenance, then each field as name, type tag and
 * value. Because the form carries its own field names and types, a schema change never makes records in
 * flight unreadable. (Records are never kept in keyed state; dedup keeps only a small entry.)
 */
public final class FlowRecordSerializer extends TypeSerializerSingleton<FlowRecord> {
    private static final long serialVersionUID = 1L;
    public static final FlowRecordSerializer INSTANCE = new FlowRecordSerializer();

    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte DECIMAL = 3;
    private static final byte BOOLEAN = 4;
    private static final byte INSTANT = 5;
    private static final byte RECORD = 6;
    private static final byte LIST = 7;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public FlowRecord createInstance() {
        return new FlowRecord(new Record(), null, 0, 0, null);
    }

    @Override
    public FlowRecord copy(FlowRecord from) {
        return new FlowRecord(from.data == null ? null : from.data.copy(), from.sourceTopic, from.sourcePartition,
                from.sourceOffset, from.payload == null ? null : from.payload.clone());
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
        out.writeInt(record.sourcePartition);
        out.writeLong(record.sourceOffset);
        if (record.payload == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(record.payload.length);
            out.write(record.payload);
        }
        writeRecord(record.data, out);
    }

    @Override
    public FlowRecord deserialize(DataInputView in) throws IOException {
        String topic = StringValue.readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        int length = in.readInt();
        byte[] payload = null;
        if (length >= 0) {
            payload = new byte[length];
            in.readFully(payload);
        }
        return new FlowRecord(readRecord(in), topic, partition, offset, payload);
    }

    @Override
    public FlowRecord deserialize(FlowRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeRecord(Record record, DataOutputView out) throws IOException {
        Map<String, Object> fields = record.asMap();
        out.writeInt(fields.size());
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            StringValue.writeString(field.getKey(), out);
            writeValue(field.getValue(), out);
        }
    }

    private static void writeValue(Object value, DataOutputView out) throws IOException {
        if (value instanceof String s) {
            out.writeByte(STRING);
            StringValue.writeString(s, out);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            byte[] unscaled = d.unscaledValue().toByteArray();
            out.writeInt(d.scale());
            out.writeInt(unscaled.length);
            out.write(unscaled);
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (value instanceof Instant i) {
            out.writeByte(INSTANT);
            out.writeLong(i.getEpochSecond());
            out.writeInt(i.getNano());
        } else if (value instanceof Record r) {
            out.writeByte(RECORD);
            writeRecord(r, out);
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object item : list) {
                writeValue(item, out);
            }
        } else {
            throw new IOException("unsupported value type " + (value == null ? "null" : value.getClass().getName()));
        }
    }

    private static Record readRecord(DataInputView in) throws IOException {
        int size = in.readInt();
        Record record = new Record();
        for (int i = 0; i < size; i++) {
            record.set(StringValue.readString(in), readValue(in));
        }
        return record;
    }

    private static Object readValue(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case STRING:
                return StringValue.readString(in);
            case LONG:
                return in.readLong();
            case DECIMAL: {
                int scale = in.readInt();
                byte[] unscaled = new byte[in.readInt()];
                in.readFully(unscaled);
                return new BigDecimal(new BigInteger(unscaled), scale);
            }
            case BOOLEAN:
                return in.readBoolean();
            case INSTANT:
                return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case RECORD:
                return readRecord(in);
            case LIST: {
                int size = in.readInt();
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(readValue(in));
                }
                return list;
            }
            default:
                throw new IOException("corrupt record: unknown type tag " + tag);
        }
    }

    @Override
    public TypeSerializerSnapshot<FlowRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot: the form is self-describing, so every version reads every other. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FlowRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
