package dev.midstream.job;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.pipeline.PipelineSpec;
import dev.midstream.record.FlowRecord;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.function.BiConsumer;

/**
 * Functions that attach a declarative pipeline's outputs: its clean records (table and optional topic) and
 * its dead letters. Production attaches JDBC and Kafka ({@link ProductionSinks#forPipeline}); tests may wrap them.
 */
public record PipelineSinks(BiConsumer<PipelineSpec, DataStream<FlowRecord>> records,
        BiConsumer<PipelineSpec, DataStream<DeadLetter>> deadLetters) {}
