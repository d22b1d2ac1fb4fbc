package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.InstantText;

import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    private transient DataOutputSerializer row;
    private transient byte[] instantText;

    public PostgresCopyRow(SinkSpec sink) {
        PostgresRecordTable table = new PostgresRecordTable(sink);
        this.fields = table.boundColumns().stream().map(c -> RecordTable.FieldReader.of(c.field())).toList();
        this.hardDeletes = sink.deletes() == SinkSpec.Deletes.HARD;
    }

    @Override
    public byte[] encode(FlowRecord record) {
        if (row == null) {
            row = new DataOutputSerializer(1024);
            instantText = new byte[InstantText.MAX_LENGTH];
        }
        row.clear();
        try {
            row.writeShort(fields.size() + (hardDeletes ? 1 : 0));
            for (RecordTable.FieldReader field : fields) {
                Object value = field.read(record);
                if (value instanceof Instant instant && putInstant(instant)) {
                    continue;
                }
                String text = RecordTable.text(value);
                if (text == null) {
                    row.writeInt(-1);
                } else {
                    put(text.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (hardDeletes) {
                put(record.deleted ? TRUE : FALSE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a growing in-memory buffer does not fail
        }
        return row.getCopyOfBuffer();
    }

    /** The instant's text straight into the row, without a string; false outside InstantText's years. */
    private boolean putInstant(Instant instant) throws IOException {
        int end = InstantText.write(instant, instantText, 0);
        if (end < 0) {
            return false;
        }
        row.writeInt(end);
        row.write(instantText, 0, end);
        return true;
    }

    private void put(byte[] value) throws IOException {
        row.writeInt(value.length);
        row.write(value);
    }
}
