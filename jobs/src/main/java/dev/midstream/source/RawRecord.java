package dev.midstream.source;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record exactly as it was read: the value bytes, untouched, and where it came from.
 * Everything downstream can name its provenance (topic, partition, offset) in a dead letter.
 */
public class RawRecord {
    public String topic;
    public int partition;
    public long offset;
    /** Kafka record timestamp in epoch millis, or -1 when the record has none. */
    public long kafkaTimestamp;
    /** The record value; null for a tombstone. */
    public byte[] value;

    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, long kafkaTimestamp, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.kafkaTimestamp = kafkaTimestamp;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof RawRecord r)) return false;
        return partition == r.partition && offset == r.offset && kafkaTimestamp == r.kafkaTimestamp
                && Objects.equals(topic, r.topic) && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
