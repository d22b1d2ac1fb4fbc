package dev.midstream.engine;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.model.Database;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.quality.QualityCount;
import dev.midstream.record.FlowRecord;
import dev.midstream.sink.LiveTable;
import dev.midstream.sink.RowEncoder;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;

import java.util.List;

/**
 * Where a job's records come from and go to: everything outside Flink that {@link JobGraphBuilder} wires in.
 * Production is {@link KafkaJdbcConnectors}; tests wrap it (to inject a failure in front of a sink, say), so the
 * topology under test is the one users run. Writers attach a sink to the stream they are given and return it; the
 * builder gives it its uid and name.
 */
public interface Connectors {
    /** A pipeline's raw records from its source topics, untouched, with topic, partition and offset. */
    Source<RawRecord, ?, ?> rawRecords(PipelineSpec pipeline);

    /** One clean topic, for a transform (only committed transactions). */
    Source<RawRecord, ?, ?> cleanRecords(LayerSpec layer, String topic);

    /** How {@link #writeTable}'s writer wants each row encoded as the batcher takes it in, or null: it takes records. */
    RowEncoder rowEncoder(SinkSpec table);

    /** Writes batches of rows, each key at most once per batch, into {@code table}. */
    DataStreamSink<List<FlowRecord>> writeTable(DataStream<List<FlowRecord>> batches, SinkSpec table);

    /** Writes a pipeline's clean records to its {@code sink.topic}, exactly once. */
    DataStreamSink<FlowRecord> writeCleanTopic(DataStream<FlowRecord> records, PipelineSpec pipeline);

    DataStreamSink<DeadLetter> writeDeadLetterTopic(DataStream<DeadLetter> letters, String topic);

    /** {@code perStep}: a record may have one dead letter per step (the transform layer), not just one. */
    DataStreamSink<DeadLetter> writeDeadLetterTable(DataStream<DeadLetter> letters, String table, boolean perStep);

    /** The job's quality history into {@code table} (one operator, parallelism 1), written per checkpoint. */
    SingleOutputStreamOperator<Void> writeQualityHistory(DataStream<QualityCount> counts, String table);

    /**
     * The sink's table as the database has it when a task opens (after every restart), so rows are checked against a
     * table changed under the running job; null to check against the pipeline's column types only.
     */
    LiveTable liveTable(SinkSpec table);

    /** The database the tables are in: what SQL they take and what their columns hold. */
    Database database();

    /** The operator that looks records up in a reference table of the database. */
    ProcessFunction<FlowRecord, FlowRecord> lookup(LookupSpec lookup, DeadLetterFactory deadLetters);
}
