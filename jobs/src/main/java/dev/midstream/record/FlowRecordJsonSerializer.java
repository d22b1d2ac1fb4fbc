package dev.midstream.record;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Clean records to a Kafka topic as JSON, keyed by the pipeline's key (so a compacted topic keeps the latest), with
 * the Kafka timestamp set to the record's event time when there is one, so the next layer's source can derive
 * per-partition watermarks from record timestamps without parsing. A change stream's delete is a tombstone: its key
 * and no value, as compacted topics expect.
 */
public final class FlowRecordJsonSerializer implements KafkaRecordSerializationSchema<FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final List<String> key;
    private final String eventTimeField;

    public FlowRecordJsonSerializer(String topic, List<String> key) {
        this(topic, key, null);
    }

    /** {@code eventTimeField}: a timestamp field whose value becomes the Kafka timestamp; null for none. */
    public FlowRecordJsonSerializer(String topic, List<String> key, String eventTimeField) {
        this.topic = topic;
        this.key = List.copyOf(key);
        this.eventTimeField = eventTimeField;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(FlowRecord record, KafkaSinkContext context, Long timestamp) {
        StringBuilder joined = new StringBuilder();
        for (String field : key) {
            if (joined.length() > 0) {
                joined.append('|');
            }
            joined.append(record.data.get(field));
        }
        Long eventTime = null;
        if (eventTimeField != null && record.data.get(eventTimeField) instanceof java.time.Instant at) {
            eventTime = at.toEpochMilli();
        }
        return new ProducerRecord<>(topic, null, eventTime, joined.toString().getBytes(StandardCharsets.UTF_8),
                record.deleted ? null : RecordJson.bytes(record.data));
    }
}
