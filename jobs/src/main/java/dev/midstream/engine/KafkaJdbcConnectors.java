package dev.midstream.engine;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.DeadLetterRecordSerializer;
import dev.midstream.enrich.JdbcLookupEnricher;
import dev.midstream.model.Database;
import dev.midstream.model.JdbcLogin;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.options.DeadLetterOptions;
import dev.midstream.options.JdbcOptions;
import dev.midstream.options.JobOptions;
import dev.midstream.options.KafkaOptions;
import dev.midstream.options.SourceOptions;
import dev.midstream.options.TableWriteOptions;
import dev.midstream.quality.QualityCount;
import dev.midstream.quality.QualityHistory;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordJsonSerializer;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.FailoverSafeJdbcSink;
import dev.midstream.sink.LiveTable;
import dev.midstream.sink.LoginConnectionProvider;
import dev.midstream.sink.PostgresCopyRow;
import dev.midstream.sink.PostgresCopyWriter;
import dev.midstream.sink.QualityTable;
import dev.midstream.sink.RecordTable;
import dev.midstream.sink.RowEncoder;
import dev.midstream.source.CleanTopicSource;
import dev.midstream.source.RawRecord;
import dev.midstream.source.RawTopicSource;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.List;

/**
 * The production connectors: Kafka sources (offsets committed on checkpoints), tables (PostgreSQL or MariaDB/MySQL, by
 * the JDBC URL) upserted with
 * {@code flink-connector-jdbc}'s Sink V2 (at least once, flushed on every checkpoint; the version-gated upsert makes
 * replays idempotent; {@link FailoverSafeJdbcSink} keeps a database outage from taking the TaskManager down), on
 * PostgreSQL with {@link PostgresCopyWriter} in place of the connector's writer unless the options say statement, clean topics in Kafka transactions (exactly once), dead letters to a Kafka topic (at least
 * once, keyed by source position) and a table ({@code ON CONFLICT DO NOTHING}), lookups in the same database.
 */
public final class KafkaJdbcConnectors implements Connectors {
    private final KafkaOptions kafka;
    private final SourceOptions source;
    private final JdbcOptions jdbc;
    private final TableWriteOptions tables;
    private final DeadLetterOptions deadLetters;

    public KafkaJdbcConnectors(KafkaOptions kafka, SourceOptions source, JdbcOptions jdbc, TableWriteOptions tables,
            DeadLetterOptions deadLetters) {
        this.kafka = kafka;
        this.source = source;
        this.jdbc = jdbc;
        this.tables = tables;
        this.deadLetters = deadLetters;
    }

    public static KafkaJdbcConnectors of(JobOptions options) {
        return new KafkaJdbcConnectors(options.kafka(), options.source(), options.jdbc(), options.tables(),
                options.deadLetters());
    }

    @Override
    public Source<RawRecord, ?, ?> rawRecords(PipelineSpec pipeline) {
        return RawTopicSource.of(kafka.bootstrapServers(), kafka.clientProperties(), pipeline.source().topics(), source.groupOf(pipeline.name()),
                startingOffsets(source.startingOffsets()), source.bounded(), pipeline.name() + "-source");
    }

    @Override
    public Source<RawRecord, ?, ?> cleanRecords(LayerSpec layer, String topic) {
        return CleanTopicSource.of(kafka.bootstrapServers(), kafka.clientProperties(), topic, source.groupOf(layer.name()), source.bounded());
    }

    private static OffsetsInitializer startingOffsets(SourceOptions.StartingOffsets mode) {
        return switch (mode) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED_OR_EARLIEST -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    @Override
    public RowEncoder rowEncoder(SinkSpec table) {
        return byCopy() ? new PostgresCopyRow(table) : null;
    }

    private boolean byCopy() {
        return jdbc.database() == Database.POSTGRESQL && tables.writeMethod() == TableWriteOptions.WriteMethod.COPY;
    }

    @Override
    public DataStreamSink<List<FlowRecord>> writeTable(DataStream<List<FlowRecord>> batches, SinkSpec table) {
        RecordTable statement = RecordTable.of(table, jdbc.database());
        JdbcSink<List<FlowRecord>> connectorSink = JdbcSink.<List<FlowRecord>>builder()
                .withQueryStatement(statement.batchUpsertSql(), statement.batchStatementBuilder())
                .withExecutionOptions(eachElementABatch())
                .buildAtLeastOnce(connection());
        if (!byCopy()) {
            return batches.sinkTo(new FailoverSafeJdbcSink<>(connectorSink, table.table()));
        }
        JdbcLogin login = jdbc.login();
        int retries = tables.maxRetries();
        return batches.sinkTo(new FailoverSafeJdbcSink<>(connectorSink, table.table(),
                context -> new PostgresCopyWriter(login, table, retries)));
    }

    /**
     * Clean records for the next layer, exactly once: written in Kafka transactions that commit when a checkpoint
     * completes, under a transactional-id prefix that is stable per pipeline ({@code midstream-<pipeline>-clean-<topic>}), so
     * a restarted job aborts its predecessor's open transactions. Readers must use
     * {@code isolation.level=read_committed}; records become visible one checkpoint interval later.
     */
    @Override
    public DataStreamSink<FlowRecord> writeCleanTopic(DataStream<FlowRecord> records, PipelineSpec pipeline) {
        return records.sinkTo(KafkaSink.<FlowRecord>builder()
                .setKafkaProducerConfig(kafka.producerProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new FlowRecordJsonSerializer(pipeline.sink().topic(), pipeline.key(),
                        pipeline.eventTimeField()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(pipeline))
                // Below the broker's transaction.max.timeout.ms (15 min by default), above any checkpoint plus restart.
                .setProperty("transaction.timeout.ms", Long.toString(Duration.ofMinutes(10).toMillis()))
                .build());
    }

    @Override
    public SingleOutputStreamOperator<Void> writeQualityHistory(DataStream<QualityCount> counts, String table) {
        return counts.transform(OperatorUids.qualityHistory().name(), Types.VOID, new QualityHistory(
                jdbc.login(), new QualityTable(SqlIdentifier.of(table), jdbc.database()),
                counts.getExecutionEnvironment().getCheckpointConfig().isCheckpointingEnabled()))
                .setParallelism(1).setMaxParallelism(1);
    }

    /**
     * Stable across restarts (a new attempt aborts what its predecessor left open) and unique per pipeline and clean
     * topic: a job that starts aborts every transaction ever opened under its prefix, so two jobs sharing one on a
     * cluster would fence each other and lose records.
     */
    public static String transactionalIdPrefix(PipelineSpec pipeline) {
        return "midstream-" + pipeline.name() + "-clean-" + pipeline.sink().topic();
    }

    @Override
    public DataStreamSink<DeadLetter> writeDeadLetterTopic(DataStream<DeadLetter> letters, String topic) {
        return letters.sinkTo(KafkaSink.<DeadLetter>builder()
                .setKafkaProducerConfig(kafka.producerProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new DeadLetterRecordSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build());
    }

    @Override
    public DataStreamSink<DeadLetter> writeDeadLetterTable(DataStream<DeadLetter> letters, String table, boolean perStep) {
        DeadLetterTable statement = perStep ? DeadLetterTable.perStep(SqlIdentifier.of(table), jdbc.database())
                : DeadLetterTable.of(SqlIdentifier.of(table), jdbc.database());
        return letters.sinkTo(new FailoverSafeJdbcSink<>(JdbcSink.<DeadLetter>builder()
                .withQueryStatement(statement.insertSql(), statement.statementBuilder())
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(deadLetters.batchSize())
                        .withBatchIntervalMs(deadLetters.batchInterval().toMillis())
                        .withMaxRetries(tables.maxRetries())
                        .build())
                .buildAtLeastOnce(LoginConnectionProvider.forInsertBatches(jdbc.login())), table));
    }

    @Override
    public LiveTable liveTable(SinkSpec table) {
        return new LiveTable(RecordTable.of(table, jdbc.database()), jdbc.login());
    }

    @Override
    public Database database() {
        return jdbc.database();
    }

    @Override
    public ProcessFunction<FlowRecord, FlowRecord> lookup(LookupSpec lookup, DeadLetterFactory letters) {
        return new JdbcLookupEnricher(lookup, jdbc.login(), letters);
    }

    /** Each element is already a batch of distinct keys: execute it as soon as it arrives. */
    private JdbcExecutionOptions eachElementABatch() {
        return JdbcExecutionOptions.builder()
                .withBatchSize(1)
                .withBatchIntervalMs(0)
                .withMaxRetries(tables.maxRetries())
                .build();
    }

    private LoginConnectionProvider connection() {
        return new LoginConnectionProvider(jdbc.login());
    }
}
