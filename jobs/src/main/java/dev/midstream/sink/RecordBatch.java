package dev.midstream.sink;

import dev.midstream.record.FlowRecord;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * One batch for a table, each key at most once, as {@link RecordBatcher} hands it to the table's writer: the
 * records, and each one's row when the writer asked for them encoded on arrival ({@link RowEncoder}). A batch that
 * went through a serializer arrives as a plain list, and the writer encodes its rows itself.
 */
public final class RecordBatch extends AbstractList<FlowRecord> implements RandomAccess {
    private final FlowRecord[] records;
    private final byte[][] rows;

    /** {@code rows}: each record's encoded row, index for index, or null if they were not encoded. */
    public RecordBatch(FlowRecord[] records, byte[][] rows) {
        if (rows != null && rows.length != records.length) {
            throw new IllegalArgumentException(records.length + " records but " + rows.length + " rows");
        }
        this.records = records;
        this.rows = rows;
    }

    @Override
    public FlowRecord get(int index) {
        return records[index];
    }

    @Override
    public int size() {
        return records.length;
    }

    /** The record's encoded row, or null if the batch has none. */
    public byte[] row(int index) {
        return rows == null ? null : rows[index];
    }
}
