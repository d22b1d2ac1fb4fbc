package dev.midstream.source;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;

/**
 * The transform layer's view of a cleanse pipeline's clean topic: only committed transactions
 * ({@code isolation.level=read_committed}), so a restart of the cleanse job never shows the next layer a record
 * twice; event time from the Kafka timestamps the clean topic's writer sets, with per-partition watermarks.
 */
public final class CleanTopicSource {
    private CleanTopicSource() {}

    /** {@code client}: the job's Kafka client settings (security); Midstream's own settings are applied after. */
    public static KafkaSource<RawRecord> of(String bootstrapServers, java.util.Properties client, String topic,
            String groupId, boolean bounded) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setProperties(client)
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * Watermarks {@code outOfOrderness} behind the largest event time seen per partition; a partition without
     * records for {@code idleness} stops holding the watermark back.
     */
    public static WatermarkStrategy<RawRecord> watermarks(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((record, previous) -> record.kafkaTimestamp)
                .withIdleness(idleness);
    }

    /** The same, emitted after every record ({@link PerEventWatermarks}): deterministic lateness for replays. */
    public static WatermarkStrategy<RawRecord> perEventWatermarks(Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<RawRecord> perEvent = context -> new PerEventWatermarks<>(outOfOrderness);
        return perEvent.withTimestampAssigner((record, previous) -> record.kafkaTimestamp).withIdleness(idleness);
    }
}
