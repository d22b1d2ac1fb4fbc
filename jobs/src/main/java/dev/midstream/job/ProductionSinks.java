package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterRecordSerializer;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.OrderRowBatch;
import dev.midstream.sink.OrderTable;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The production outputs: batches upserted into PostgreSQL with {@code flink-connector-jdbc}'s Sink V2
 * (at-least-once, flushed on every checkpoint; the upsert makes replays idempotent), and dead letters to both a
 * Kafka topic and a PostgreSQL table.
 */
public final class ProductionSinks {
    private ProductionSinks() {}

    public static CleanseSinks of(CleanseConfig config) {
        String p = config.pipeline;
        return new CleanseSinks(
                batches -> Step.TABLE_SINK.apply(batches.sinkTo(orderTable(config)), p),
                deadLetters -> {
                    Step.DEAD_LETTER_TOPIC.apply(deadLetters.sinkTo(deadLetterTopic(config)), p);
                    Step.DEAD_LETTER_TABLE.apply(deadLetters.sinkTo(deadLetterTable(config)), p);
                });
    }

    public static JdbcSink<OrderRowBatch> orderTable(CleanseConfig config) {
        return JdbcSink.<OrderRowBatch>builder()
                .withQueryStatement(new OrderTable(config.table).upsertSql(), OrderTable.statementBuilder())
                // Each element is already a batch of distinct keys: execute it as soon as it arrives.
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(1)
                        .withBatchIntervalMs(0)
                        .withMaxRetries(config.maxRetries)
                        .build())
                .buildAtLeastOnce(connection(config));
    }

    public static JdbcSink<DeadLetter> deadLetterTable(CleanseConfig config) {
        return JdbcSink.<DeadLetter>builder()
                .withQueryStatement(new DeadLetterTable(config.deadLetterTable).insertSql(),
                        DeadLetterTable.statementBuilder())
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(config.batchSize)
                        .withBatchIntervalMs(config.batchInterval.toMillis())
                        .withMaxRetries(config.maxRetries)
                        .build())
                .buildAtLeastOnce(connection(config));
    }

    public static KafkaSink<DeadLetter> deadLetterTopic(CleanseConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(new DeadLetterRecordSerializer(config.deadLetterTopic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    static JdbcConnectionOptions connection(CleanseConfig config) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder builder =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(config.jdbcUrl)
                        .withDriverName("org.postgresql.Driver");
        if (config.jdbcUsername != null) {
            builder.withUsername(config.jdbcUsername);
        }
        if (config.jdbcPassword() != null) {
            builder.withPassword(config.jdbcPassword());
        }
        return builder.build();
    }
}
