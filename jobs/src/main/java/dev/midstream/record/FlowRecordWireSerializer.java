package dev.midstream.record;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FlowRecordSerializer}'s form for records between tasks: each known text (a declared field name, the source
 * topic) is sent as its number in {@link KnownTexts}, any other as itself. Every record starts with the known
 * texts' fingerprint, so a record written by a job whose texts differ (in-flight data of an unaligned checkpoint
 * restored after the pipeline changed) fails loudly instead of being read under the wrong names. Values, nested
 * records included, are in {@link FlowRecordSerializer}'s form.
 */
public final class FlowRecordWireSerializer extends TypeSerializer<FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final KnownTexts known;
    private final KnownTextCodec names;

    public FlowRecordWireSerializer(KnownTexts known) {
        this.known = known;
        this.names = new KnownTextCodec(known);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<FlowRecord> duplicate() {
        return this; // stateless
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
        out.writeInt(known.fingerprint());
        names.write(record.sourceTopic, 0, out);
        FlowRecordSerializer.writeSource(record, out);
        FlowRecordSerializer.writeChange(record, out);
        FlowRecordSerializer.writeRecord(record.data, names, out);
    }

    @Override
    public FlowRecord deserialize(DataInputView in) throws IOException {
        int fingerprint = in.readInt();
        if (fingerprint != known.fingerprint()) {
            throw new IOException("a record between tasks was written by a job with other field names or topics"
                    + " (fingerprint " + fingerprint + ", this job's " + known.fingerprint() + "): in-flight data of"
                    + " an unaligned checkpoint taken before the pipeline changed. Restore from a savepoint instead;"
                    + " savepoints hold no in-flight data");
        }
        FlowRecord record = FlowRecordSerializer.readSource(names.read(in), in);
        FlowRecordSerializer.readChange(record, in);
        record.data = FlowRecordSerializer.readRecord(names, in);
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

    @Override
    public boolean equals(Object other) {
        return other instanceof FlowRecordWireSerializer that && known.equals(that.known);
    }

    @Override
    public int hashCode() {
        return known.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<FlowRecord> snapshotConfiguration() {
        return new Snapshot(known);
    }

    /** A known text as its number, any other text (and null) as code 0 followed by itself. */
    private static final class KnownTextCodec implements FieldNameCodec, Serializable {
        private static final long serialVersionUID = 1L;

        private final KnownTexts known;

        KnownTextCodec(KnownTexts known) {
            this.known = known;
        }

        @Override
        public void write(String text, int index, DataOutputView out) throws IOException {
            int code = text == null ? 0 : known.code(text, index);
            StringValueWriter.varint(code, out);
            if (code == 0) {
                StringValueWriter.write(text, out);
            }
        }

        @Override
        public String read(DataInputView in) throws IOException {
            int code = StringValueReader.varint(in.readUnsignedByte(), in);
            if (code == 0) {
                return StringValueReader.readName(in);
            }
            String text = known.text(code);
            if (text == null) {
                throw new IOException("corrupt record: no known text has the code " + code);
            }
            return text;
        }
    }

    /** Holds the known texts, so a restored serializer reads what this one wrote. */
    public static final class Snapshot implements TypeSerializerSnapshot<FlowRecord> {
        private KnownTexts known;

        public Snapshot() {}

        Snapshot(KnownTexts known) {
            this.known = known;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            List<String> texts = known.texts();
            out.writeInt(texts.size());
            for (String text : texts) {
                out.writeUTF(text);
            }
        }

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
            if (version != 1) {
                throw new IOException("unknown FlowRecordWireSerializer snapshot version " + version);
            }
            int count = in.readInt();
            List<String> texts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                texts.add(in.readUTF());
            }
            known = new KnownTexts(texts);
        }

        @Override
        public TypeSerializer<FlowRecord> restoreSerializer() {
            return new FlowRecordWireSerializer(known);
        }

        @Override
        public TypeSerializerSchemaCompatibility<FlowRecord> resolveSchemaCompatibility(
                TypeSerializerSnapshot<FlowRecord> old) {
            if (!(old instanceof Snapshot previous)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return previous.known.equals(known) ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
