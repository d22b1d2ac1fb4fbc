package dev.midstream.record;

import dev.midstream.udf.Record;

/**
 * A record of a declarative pipeline in flight: its fields and where it came from, so that any stage can
 * still write a complete dead letter. Typed by {@link FlowRecordTypeInfo}; never Kryo. Holds raw PII until
 * the PII step, which also drops the payload. A change stream's record also says whether it deletes its key's row
 * and where it is in the source database's log ({@link #positionMajor}, {@link #positionMinor}, compared in that
 * order); plain records are upserts at position 0.
 */
public final class FlowRecord {
    /** {@link #positionMajor} of a change whose log position is unknown: it follows its key's latest change. */
    public static final long AFTER_LATEST = -1;

    public Record data;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** The raw bytes as read; null after the PII step. */
    public byte[] payload;
    /** A change stream's delete: {@link #data} holds the key (and the version field) only. */
    public boolean deleted;
    public long positionMajor;
    public long positionMinor;

    public FlowRecord() {}

    public FlowRecord(Record data, String sourceTopic, int sourcePartition, long sourceOffset, byte[] payload) {
        this.data = data;
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
        this.payload = payload;
    }

    /** The same provenance, operation and position with other data, e.g. one row of a function's output. */
    public FlowRecord with(Record other) {
        return new FlowRecord(other, sourceTopic, sourcePartition, sourceOffset, payload).change(deleted,
                positionMajor, positionMinor);
    }

    /** Sets the change's operation and log position; returns this record. */
    public FlowRecord change(boolean delete, long major, long minor) {
        this.deleted = delete;
        this.positionMajor = major;
        this.positionMinor = minor;
        return this;
    }

    /** The log position as one number, {@code major * 2^63 + minor}: what a {@code $position} column holds. */
    public java.math.BigInteger position() {
        return java.math.BigInteger.valueOf(positionMajor).shiftLeft(63).add(java.math.BigInteger.valueOf(positionMinor));
    }

    /** Compares log positions: negative if this change is before {@code other}. */
    public int comparePosition(FlowRecord other) {
        int major = Long.compare(positionMajor, other.positionMajor);
        return major != 0 ? major : Long.compare(positionMinor, other.positionMinor);
    }

    @Override
    public String toString() {
        return "FlowRecord" + (deleted ? "(delete)" : "") + data + " from " + sourceTopic + "-" + sourcePartition + "@"
                + sourceOffset;
    }
}
