package dev.midstream.job;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.sink.OrderRowBatch;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.function.Consumer;

/**
 * Functions that attach the pipeline's outputs. Production attaches JDBC and Kafka sinks
 * ({@link ProductionSinks}); tests attach the same sinks against test instances, or wrap them to inject faults.
 */
public record CleanseSinks(Consumer<DataStream<OrderRowBatch>> table, Consumer<DataStream<DeadLetter>> deadLetters) {}
