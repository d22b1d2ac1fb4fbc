package dev.midstream.record;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** How a record's field names are written and read: the one part in which the serialized forms differ. */
interface FieldNameCodec {
    /** Field names as text, the self-describing form that state and nested records keep. */
    FieldNameCodec TEXT = new FieldNameCodec() {
        @Override
        public void write(String name, int index, DataOutputView out) throws IOException {
            StringValueWriter.write(name, out);
        }

        @Override
        public String read(DataInputView in) throws IOException {
            return StringValueReader.readName(in);
        }
    };

    /** Writes {@code name}, the record's {@code index}th field's. */
    void write(String name, int index, DataOutputView out) throws IOException;

    String read(DataInputView in) throws IOException;
}
