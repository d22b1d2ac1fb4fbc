package dev.midstream.record;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Clean records to a Kafka topic as JSON, keyed by the pipeline's key (so a compacted topic keeps the latest). */
public final class FlowRecordJsonSerializer implements KafkaRecordSerializationSchema<FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final List<String> key;

    public FlowRecordJsonSerializer(String topic, List<String> key) {
        this.topic = topic;
        this.key = List.copyOf(key);
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
        return new ProducerRecord<>(topic, joined.toString().getBytes(StandardCharsets.UTF_8),
                RecordJson.bytes(record.data));
    }
}
