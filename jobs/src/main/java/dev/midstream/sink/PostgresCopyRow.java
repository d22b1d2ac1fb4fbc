package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A record as one tuple of {@code COPY … (FORMAT binary)} into {@link PostgresRecordTable#STAGING_TABLE}: the
 * field count, then every bound column as text (the staging table's columns are text), then the delete flag when the
 * sink deletes rows.
 */
public final class PostgresCopyRow implements RowEncoder {
    private static final long serialVersionUID = 1L;
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private final List<RecordTable.FieldReader> fields;
    private final boolean hardDeletes;
    private transient byte[] buffer;
    private transient int length;

    public PostgresCopyRow(SinkSpec sink) {
        PostgresRecordTable table = new PostgresRecordTable(sink);
        this.fields = table.boundColumns().stream().map(c -> RecordTable.FieldReader.of(c.field())).toList();
        this.hardDeletes = sink.deletes() == SinkSpec.Deletes.HARD;
    }

    @Override
    public byte[] encode(FlowRecord record) {
        if (buffer == null) {
            buffer = new byte[1024];
        }
        length = 0;
        short columns = (short) (fields.size() + (hardDeletes ? 1 : 0));
        ensure(2);
        buffer[length++] = (byte) (columns >>> 8);
        buffer[length++] = (byte) columns;
        for (RecordTable.FieldReader field : fields) {
            String text = RecordTable.text(field.read(record));
            if (text == null) {
                putInt(-1);
            } else {
                put(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (hardDeletes) {
            put(record.deleted ? TRUE : FALSE);
        }
        return Arrays.copyOf(buffer, length);
    }

    private void put(byte[] value) {
        putInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, length, value.length);
        length += value.length;
    }

    private void putInt(int value) {
        ensure(4);
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
