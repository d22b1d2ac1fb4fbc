package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.source.RawRecord;
import dev.midstream.source.RawRecordDeserializer;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The Kafka source of raw order events, as configured. Offsets are committed to the group on checkpoints. */
public final class ProductionSources {
    private ProductionSources() {}

    public static KafkaSource<RawRecord> kafka(CleanseConfig config) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.sourceTopic)
                .setGroupId(config.groupId)
                .setStartingOffsets(startingOffsets(config.startingOffsets))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", config.pipeline + "-source");
        if (config.bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    static OffsetsInitializer startingOffsets(String mode) {
        return switch (mode) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
