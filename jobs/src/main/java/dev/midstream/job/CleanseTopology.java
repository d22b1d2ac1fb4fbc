package dev.midstream.job;

import dev.midstream.cleanse.OrderDeduplicator;
import dev.midstream.cleanse.OrderNormalizer;
import dev.midstream.cleanse.OrderValidator;
import dev.midstream.cleanse.PiiMasker;
import dev.midstream.config.CleanseConfig;
import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.orders.OrderEvent;
import dev.midstream.orders.OrderRow;
import dev.midstream.sink.OrderRowBatch;
import dev.midstream.sink.UpsertBatcher;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The cleanse pipeline, top to bottom:
 * source → validate → normalize → (keyBy order_id) dedup → mask → batch → table sink,
 * with every stage's rejects unioned into one dead-letter stream. Sources and sinks are passed in.
 */
public final class CleanseTopology {
    private CleanseTopology() {}

    public static void build(
            StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, CleanseSinks sinks, CleanseConfig config) {
        String p = config.pipeline;
        DeadLetterFactory deadLetters = new DeadLetterFactory(p, config.deadLetterMaxPayloadBytes, config.deadLetterPayload);

        DataStream<RawRecord> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), Step.SOURCE.name(p))
                .uid(Step.SOURCE.uid(p));

        SingleOutputStreamOperator<OrderEvent> validated = Step.VALIDATE.apply(
                raw.process(new OrderValidator(config.validation, deadLetters)), p);

        SingleOutputStreamOperator<OrderEvent> normalized = Step.NORMALIZE.apply(
                validated.map(new OrderNormalizer()), p);

        SingleOutputStreamOperator<OrderEvent> deduplicated = Step.DEDUP.apply(
                normalized.keyBy(e -> e.orderId, Types.STRING)
                        .process(new OrderDeduplicator(config.dedupTtl, deadLetters)), p);

        SingleOutputStreamOperator<OrderRow> masked = Step.MASK.apply(
                deduplicated.process(new PiiMasker(config.salt(), deadLetters)), p);

        SingleOutputStreamOperator<OrderRowBatch> batches = Step.BATCH.apply(
                masked.transform(Step.BATCH.name(p), TypeInformation.of(OrderRowBatch.class),
                        new UpsertBatcher(config.batchSize, config.batchInterval, deadLetters)), p);

        sinks.table().accept(batches);

        DataStream<DeadLetter> rejected = validated.getSideOutput(DeadLetterFactory.TAG).union(
                deduplicated.getSideOutput(DeadLetterFactory.TAG),
                masked.getSideOutput(DeadLetterFactory.TAG),
                batches.getSideOutput(DeadLetterFactory.TAG));
        sinks.deadLetters().accept(rejected);
    }
}
