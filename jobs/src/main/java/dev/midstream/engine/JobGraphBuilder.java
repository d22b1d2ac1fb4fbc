package dev.midstream.engine;

import dev.midstream.model.ConfigException;
import dev.midstream.model.JobSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.options.DeadLetterOptions;
import dev.midstream.options.JobOptions;
import dev.midstream.options.RecordOptions;
import dev.midstream.options.TableWriteOptions;
import dev.midstream.quality.QualityCount;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place a Midstream job graph is assembled: {@code flink run} ({@code PipelinesJob}, {@code TransformJob}),
 * {@code midstream check-upgrade}, the demo, the bench and the tests all call {@link #build}, so what is checked is
 * what is submitted. Each pipeline and transform of the {@link JobSpec} is translated in turn
 * ({@link PipelineTranslator}, {@link LayerTranslator}); sources and sinks come from the {@link Connectors}; uids
 * and names from {@link OperatorUids}. Building has no side effects: tables are created by {@link TableSetup}.
 */
public final class JobGraphBuilder {
    private final RecordOptions records;
    private final TableWriteOptions tables;
    private final DeadLetterOptions deadLetters;

    public JobGraphBuilder(RecordOptions records, TableWriteOptions tables, DeadLetterOptions deadLetters) {
        this.records = records;
        this.tables = tables;
        this.deadLetters = deadLetters;
    }

    public static JobGraphBuilder of(JobOptions options) {
        return new JobGraphBuilder(options.records(), options.tables(), options.deadLetters());
    }

    /** Adds every pipeline and transform of {@code job} to {@code env}; the caller executes it. */
    public void build(StreamExecutionEnvironment env, JobSpec job, Connectors connectors) {
        requireCheckpointsForCleanTopics(env, job.pipelines());
        // Every operator here either emits records it made or hands its input on once and leaves it alone after,
        // and keeps nothing it was handed (the batcher keeps what no one changes any more): Flink's deep copy of
        // every record between chained operators buys nothing but CPU.
        env.getConfig().enableObjectReuse();
        PipelineTranslator pipelines = new PipelineTranslator(records, tables, deadLetters, connectors);
        List<DataStream<QualityCount>> counts = new ArrayList<>();
        for (PipelineSpec pipeline : job.pipelines()) {
            counts.add(pipelines.translate(env, pipeline));
        }
        LayerTranslator layers = new LayerTranslator(tables, deadLetters, connectors);
        for (LayerSpec layer : job.layers()) {
            counts.add(layers.translate(env, layer));
        }
        if (!counts.isEmpty() && tables.qualityTable() != null) {
            OperatorUids.qualityHistory().on(connectors.writeQualityHistory(PipelineTranslator.union(counts),
                    tables.qualityTable()));
        }
    }

    /** A clean topic is written in transactions that commit on checkpoints: without checkpoints, nothing appears. */
    static void requireCheckpointsForCleanTopics(StreamExecutionEnvironment env, List<PipelineSpec> pipelines) {
        if (env.getCheckpointConfig().isCheckpointingEnabled()) {
            return;
        }
        List<String> problems = pipelines.stream().filter(p -> p.sink().topic() != null)
                .map(p -> p.file() + ": sink.topic: pipeline '" + p.name() + "' writes clean records to '"
                        + p.sink().topic() + "' exactly once, in Kafka transactions that commit on checkpoints, but"
                        + " checkpointing is off; set execution.checkpointing.interval (e.g. 10 s) in the Flink"
                        + " configuration, or remove sink.topic")
                .toList();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
