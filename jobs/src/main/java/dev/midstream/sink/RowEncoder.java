package dev.midstream.sink;

import dev.midstream.record.FlowRecord;

import java.io.Serializable;

/**
 * A record as the bytes its table's writer sends for one row. {@link RecordBatcher} encodes each record when it
 * arrives, right after the fit check read every column, instead of the writer reading the whole batch again at
 * flush time, when its records have left the CPU's caches (in the job's profile that second read was a third of
 * the deduplicating task, most of it waiting for memory).
 */
@FunctionalInterface
public interface RowEncoder extends Serializable {
    byte[] encode(FlowRecord record);
}
