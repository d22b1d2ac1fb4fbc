package dev.midstream.record;

import dev.midstream.udf.Record;

/**
 * A record of a declarative pipeline in flight: its fields and where it came from, so that any stage can
 * still write a complete dead letter. Typed by {@link FlowRecordTypeInfo}; never Kryo. Holds raw PII until
 * the PII step, which also drops the payload.
 */
public final class FlowRecord {
    public Record data;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** The raw bytes as read; null after the PII step. */
    public byte[] payload;

    public FlowRecord() {}

    public FlowRecord(Record data, String sourceTopic, int sourcePartition, long sourceOffset, byte[] payload) {
        this.data = data;
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
        this.payload = payload;
    }

    /** The same provenance with other data, e.g. one row of a function's output. */
    public FlowRecord with(Record other) {
        return new FlowRecord(other, sourceTopic, sourcePartition, sourceOffset, payload);
    }

    @Override
    public String toString() {
        return "FlowRecord" + data + " from " + sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
    }
}
