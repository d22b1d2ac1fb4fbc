package dev.midstream.record;

import dev.midstream.udf.Record;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-describing binary form of a {@link FlowRecord}: provenance, the change's operation and log position, then
 * each field as name, type tag and value. Because the form carries its own field names and types, a schema change
 * never makes records unreadable. Records are kept in state by the transform layer's dimension join; state written
 * before the operation and position were added (snapshot version 3, the 0.1 releases) is read by
 * {@link LegacyFlowRecordSerializer} and migrated.
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
                from.sourceOffset, from.payload == null ? null : from.payload.clone())
                .change(from.deleted, from.positionMajor, from.positionMinor);
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
        StringValueWriter.write(record.sourceTopic, out);
        writeSource(record, out);
        writeChange(record, out);
        writeRecord(record.data, FieldNameCodec.TEXT, out);
    }

    /** The record's partition, offset and payload: what follows its topic, which each form writes its own way. */
    static void writeSource(FlowRecord record, DataOutputView out) throws IOException {
        out.writeInt(record.sourcePartition);
        out.writeLong(record.sourceOffset);
        if (record.payload == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(record.payload.length);
            out.write(record.payload);
        }
    }

    static void writeChange(FlowRecord record, DataOutputView out) throws IOException {
        out.writeBoolean(record.deleted);
        out.writeLong(record.positionMajor);
        out.writeLong(record.positionMinor);
    }

    static void readChange(FlowRecord record, DataInputView in) throws IOException {
        record.change(in.readBoolean(), in.readLong(), in.readLong());
    }

    @Override
    public FlowRecord deserialize(DataInputView in) throws IOException {
        FlowRecord record = readProvenance(in);
        readChange(record, in);
        record.data = readRecord(FieldNameCodec.TEXT, in);
        return record;
    }

    static FlowRecord readProvenance(DataInputView in) throws IOException {
        return readSource(StringValueReader.read(in), in);
    }

    /** A record from {@code topic} with what {@link #writeSource} wrote, and no data yet. */
    static FlowRecord readSource(String topic, DataInputView in) throws IOException {
        int partition = in.readInt();
        long offset = in.readLong();
        int length = in.readInt();
        byte[] payload = null;
        if (length >= 0) {
            payload = new byte[length];
            in.readFully(payload);
        }
        return new FlowRecord(null, topic, partition, offset, payload);
    }

    @Override
    public FlowRecord deserialize(FlowRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    static void writeRecord(Record record, FieldNameCodec names, DataOutputView out) throws IOException {
        int size = record.size();
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            names.write(record.nameAt(i), i, out);
            writeValue(record.valueAt(i), out);
        }
    }

    static void writeValue(Object value, DataOutputView out) throws IOException {
        if (value instanceof String s) {
            out.writeByte(STRING);
            StringValueWriter.write(s, out);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            out.writeInt(d.scale());
            if (d.precision() <= Decimals.LONG_PRECISION) {
                writeUnscaled(Decimals.unscaledLong(d), out);
            } else {
                byte[] unscaled = d.unscaledValue().toByteArray();
                out.writeInt(unscaled.length);
                out.write(unscaled);
            }
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (value instanceof Instant i) {
            out.writeByte(INSTANT);
            out.writeLong(i.getEpochSecond());
            out.writeInt(i.getNano());
        } else if (value instanceof Record r) {
            out.writeByte(RECORD);
            writeRecord(r, FieldNameCodec.TEXT, out);
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

    /**
     * The bytes of {@code BigInteger.valueOf(unscaled).toByteArray()} after their count: two's complement, big-endian,
     * as few as hold the value and its sign (building the {@code BigInteger} was 3.3 % of the source task).
     */
    private static void writeUnscaled(long unscaled, DataOutputView out) throws IOException {
        int length = (Long.SIZE - Long.numberOfLeadingZeros(unscaled < 0 ? ~unscaled : unscaled)) / 8 + 1;
        out.writeInt(length);
        for (int shift = (length - 1) * 8; shift >= 0; shift -= 8) {
            out.writeByte((int) (unscaled >>> shift));
        }
    }

    static Record readRecord(FieldNameCodec names, DataInputView in) throws IOException {
        int size = in.readInt();
        Record record = new Record(Math.min(size, 64)); // grows past 64 if it has to; a damaged count cannot exhaust memory
        for (int i = 0; i < size; i++) {
            record.set(names.read(in), readValue(in));
        }
        return record;
    }

    static Object readValue(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case STRING:
                return StringValueReader.read(in);
            case LONG:
                return in.readLong();
            case DECIMAL: {
                int scale = in.readInt();
                int length = in.readInt();
                if (length >= 1 && length <= Long.BYTES) {
                    long unscaled = in.readByte(); // the sign, extended
                    for (int i = 1; i < length; i++) {
                        unscaled = unscaled << 8 | in.readUnsignedByte();
                    }
                    return BigDecimal.valueOf(unscaled, scale);
                }
                byte[] unscaled = new byte[length];
                in.readFully(unscaled);
                return new BigDecimal(new BigInteger(unscaled), scale);
            }
            case BOOLEAN:
                return in.readBoolean();
            case INSTANT:
                return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case RECORD:
                return readRecord(FieldNameCodec.TEXT, in);
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

    /**
     * The serializer's snapshot. Version 4 added the operation and position; versions 2 and 3 were Flink's
     * {@code SimpleTypeSerializerSnapshot} (same class name, so savepoints name this class) and describe the
     * earlier form, which is migrated.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<FlowRecord> {
        static final int CURRENT = 4;

        private int readVersion = CURRENT;

        public Snapshot() {}

        @Override
        public int getCurrentVersion() {
            return CURRENT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
            if (version == 2) {
                in.readUTF(); // SimpleTypeSerializerSnapshot's version 2 wrote the serializer's class name
            } else if (version < 2 || version > CURRENT) {
                throw new IOException("unknown FlowRecordSerializer snapshot version " + version);
            }
            readVersion = version;
        }

        boolean legacy() {
            return readVersion < CURRENT;
        }

        @Override
        public TypeSerializer<FlowRecord> restoreSerializer() {
            return legacy() ? LegacyFlowRecordSerializer.INSTANCE : INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<FlowRecord> resolveSchemaCompatibility(
                TypeSerializerSnapshot<FlowRecord> old) {
            if (!(old instanceof Snapshot previous)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return previous.legacy() ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
    }
}
