package dev.midstream.job;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.engine.Connectors;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.quality.QualityCount;
import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;

import java.time.Duration;
import java.util.List;

/**
 * The production connectors with one change: in front of every table (or of those {@code tables} accepts), a map
 * over the batches that fails the task once, after a checkpoint ({@link FailOnceAfterCheckpoint}; each batch is
 * held 100 ms until then, so a small bounded input does not run out first), and the job must recover from it. The
 * clean topics a layer reads are handed on 1 ms a record ({@link ThrottledSource}), so the fault strikes mid-input
 * however fast the machine: a machine that read a layer's whole input before the first checkpoint would queue it all
 * in front of the fault, whose barrier then comes after the last batch. Everything else, and the topology, is what
 * users run.
 */
final class FaultyTables implements Connectors {
    private final Connectors production;
    private final String fault;
    private final java.util.function.Predicate<SinkSpec> tables;

    FaultyTables(Connectors production, String fault, java.util.function.Predicate<SinkSpec> tables) {
        this.production = production;
        this.fault = fault;
        this.tables = tables;
    }

    FaultyTables(Connectors production, String fault) {
        this(production, fault, table -> true);
    }

    @Override
    public DataStreamSink<List<FlowRecord>> writeTable(DataStream<List<FlowRecord>> batches, SinkSpec table) {
        if (!tables.test(table)) {
            return production.writeTable(batches, table);
        }
        return production.writeTable(batches.map(new FailOnceAfterCheckpoint<>(fault, 3, 100)).returns(batches.getType())
                .uid("test/fault/" + table.table()).name("test: fail once after a checkpoint"), table);
    }

    @Override
    public dev.midstream.sink.RowEncoder rowEncoder(SinkSpec table) {
        return production.rowEncoder(table);
    }

    @Override
    public dev.midstream.sink.LiveTable liveTable(SinkSpec table) {
        return production.liveTable(table);
    }

    @Override
    public SingleOutputStreamOperator<Void> writeQualityHistory(DataStream<QualityCount> counts, String table) {
        return production.writeQualityHistory(counts, table);
    }

    @Override
    public DataStreamSink<FlowRecord> writeCleanTopic(DataStream<FlowRecord> records, PipelineSpec pipeline) {
        return production.writeCleanTopic(records, pipeline);
    }

    @Override
    public Source<RawRecord, ?, ?> rawRecords(PipelineSpec pipeline) {
        return production.rawRecords(pipeline);
    }

    @Override
    public Source<RawRecord, ?, ?> cleanRecords(LayerSpec layer, String topic) {
        return paced(production.cleanRecords(layer, topic));
    }

    private static <S extends SourceSplit, E> Source<RawRecord, S, E> paced(Source<RawRecord, S, E> source) {
        return new ThrottledSource<>(source, Duration.ofMillis(1));
    }

    @Override
    public DataStreamSink<DeadLetter> writeDeadLetterTopic(DataStream<DeadLetter> letters, String topic) {
        return production.writeDeadLetterTopic(letters, topic);
    }

    @Override
    public DataStreamSink<DeadLetter> writeDeadLetterTable(DataStream<DeadLetter> letters, String table, boolean perStep) {
        return production.writeDeadLetterTable(letters, table, perStep);
    }

    @Override
    public ProcessFunction<FlowRecord, FlowRecord> lookup(LookupSpec lookup, DeadLetterFactory deadLetters) {
        return production.lookup(lookup, deadLetters);
    }

    @Override
    public dev.midstream.model.Database database() {
        return production.database();
    }
}
