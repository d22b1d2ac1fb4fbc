package dev.midstream.source;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

import java.util.List;

/**
 * A pipeline's raw topics: every record as {@link RawRecord} (bytes untouched, nothing can fail here), offsets
 * committed to the consumer group when a checkpoint completes (for monitoring lag; a restored job continues from
 * its state, not from the group).
 */
public final class RawTopicSource {
    private RawTopicSource() {}

    /** {@code client}: the job's Kafka client settings (security); Midstream's own settings are applied after. */
    public static KafkaSource<RawRecord> of(String bootstrapServers, java.util.Properties client, List<String> topics,
            String groupId, OffsetsInitializer startingOffsets, boolean bounded, String clientIdPrefix) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setProperties(client)
                .setBootstrapServers(bootstrapServers)
                .setTopics(topics)
                .setGroupId(groupId)
                .setStartingOffsets(startingOffsets)
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", clientIdPrefix);
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }
}
