package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterRecordSerializer;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.OrderRowBatch;
import dev.midstream.sink.OrderTable;
import dev.midstream.sink.RecordBatcher;
import dev.midstream.sink.RecordTable;
import dev.midstream.sink.SqlIdentifier;
import dev.midstream.pipeline.PipelineSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordJsonSerializer;
import dev.midstream.record.FlowRecordTypeInfo;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

import java.util.List;

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
                .withExecutionOptions(eachElementABatch(config))
                .buildAtLeastOnce(connection(config));
    }

    public static JdbcSink<DeadLetter> deadLetterTable(CleanseConfig config, String table) {
        return JdbcSink.<DeadLetter>builder()
                .withQueryStatement(new DeadLetterTable(SqlIdentifier.of(table)).insertSql(), DeadLetterTable.statementBuilder())
                .withExecutionOptions(executionOptions(config))
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

    /** A declarative pipeline's outputs: its table, its optional clean topic, its dead-letter table and topic. */
    public static PipelineSinks forPipeline(CleanseConfig config) {
        return new PipelineSinks(
                (spec, records) -> {
                    String p = spec.name();
                    Step.TABLE_SINK.apply(batchedTable(records, config, spec.sink(), Step.BATCH.uid(p),
                            Step.BATCH.name(p)), p);
                    if (spec.sink().topic() != null) {
                        Step.TOPIC_SINK.apply(records.sinkTo(cleanTopic(config, spec)), p);
                    }
                },
                (spec, deadLetters) -> {
                    String p = spec.name();
                    if (spec.deadLetters().topic() != null) {
                        Step.DEAD_LETTER_TOPIC.apply(deadLetters.sinkTo(KafkaSink.<DeadLetter>builder()
                                .setBootstrapServers(config.bootstrapServers)
                                .setRecordSerializer(new DeadLetterRecordSerializer(spec.deadLetters().topic()))
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .build()), p);
                    }
                    if (spec.deadLetters().table() != null) {
                        Step.DEAD_LETTER_TABLE.apply(deadLetters.sinkTo(JdbcSink.<DeadLetter>builder()
                                .withQueryStatement(new DeadLetterTable(SqlIdentifier.of(spec.deadLetters().table()))
                                        .insertSql(), DeadLetterTable.statementBuilder())
                                .withExecutionOptions(executionOptions(config))
                                .buildAtLeastOnce(connection(config))), p);
                    }
                });
    }

    /**
     * The pipeline's clean records for the next layer, exactly once: written in Kafka transactions that commit when
     * a checkpoint completes, under a transactional-id prefix that is stable per pipeline
     * ({@code midstream-<pipeline>-clean}), so a restarted job aborts its predecessor's open transactions. Readers
     * must use {@code isolation.level=read_committed}; records become visible one checkpoint interval later.
     */
    public static KafkaSink<FlowRecord> cleanTopic(CleanseConfig config, PipelineSpec spec) {
        return KafkaSink.<FlowRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(new FlowRecordJsonSerializer(spec.sink().topic(), spec.key(), eventTimeField(spec)))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(spec))
                // Below the broker's transaction.max.timeout.ms (15 min by default), above any checkpoint plus restart.
                .setProperty("transaction.timeout.ms", Long.toString(java.time.Duration.ofMinutes(10).toMillis()))
                .build();
    }

    /** The dedup version, when it is a timestamp: the record's event time for the next layer's watermarks. */
    static String eventTimeField(PipelineSpec spec) {
        if (spec.dedup() == null || spec.dedup().version() == null) {
            return null;
        }
        var field = dev.midstream.pipeline.PipelineReader.find(spec.schema(), spec.dedup().version());
        return field != null && field.type().kind() == dev.midstream.pipeline.FieldType.Kind.TIMESTAMP
                ? spec.dedup().version() : null;
    }

    public static String transactionalIdPrefix(PipelineSpec spec) {
        return "midstream-" + spec.name() + "-clean";
    }

    /**
     * Rows into a table: {@link RecordBatcher} (uid {@code batchUid}) collects batches of one row per key, and each
     * batch is one upsert statement. The returned sink still needs its uid and name.
     */
    public static DataStreamSink<List<FlowRecord>> batchedTable(DataStream<FlowRecord> rows, CleanseConfig config,
            dev.midstream.pipeline.SinkSpec sink, String batchUid, String batchName) {
        return rows.transform(batchName, Types.LIST(FlowRecordTypeInfo.INSTANCE),
                        new RecordBatcher(sink, config.batchSize, config.batchInterval))
                .uid(batchUid)
                .sinkTo(batchedRecordTable(config, sink));
    }

    private static JdbcSink<List<FlowRecord>> batchedRecordTable(CleanseConfig config, dev.midstream.pipeline.SinkSpec sink) {
        RecordTable table = new RecordTable(sink);
        return JdbcSink.<List<FlowRecord>>builder()
                .withQueryStatement(table.batchUpsertSql(), table.batchStatementBuilder())
                .withExecutionOptions(eachElementABatch(config))
                .buildAtLeastOnce(connection(config));
    }

    /** Each element is already a batch of distinct keys: execute it as soon as it arrives. */
    private static JdbcExecutionOptions eachElementABatch(CleanseConfig config) {
        return JdbcExecutionOptions.builder()
                .withBatchSize(1)
                .withBatchIntervalMs(0)
                .withMaxRetries(config.maxRetries)
                .build();
    }

    private static JdbcExecutionOptions executionOptions(CleanseConfig config) {
        return JdbcExecutionOptions.builder()
                .withBatchSize(config.batchSize)
                .withBatchIntervalMs(config.batchInterval.toMillis())
                .withMaxRetries(config.maxRetries)
                .build();
    }

    static JdbcConnectionOptions connection(CleanseConfig config) {
        return connection(config, config.jdbcUrl);
    }

    private static JdbcConnectionOptions connection(CleanseConfig config, String url) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder builder =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(url)
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
