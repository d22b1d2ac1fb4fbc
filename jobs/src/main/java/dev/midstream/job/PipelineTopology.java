package dev.midstream.job;

import dev.midstream.cleanse.KeyedDeduplicator;
import dev.midstream.cleanse.RecordMasker;
import dev.midstream.cleanse.RecordNormalizer;
import dev.midstream.cleanse.RecordValidator;
import dev.midstream.config.CleanseConfig;
import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.pipeline.PipelineSpec;
import dev.midstream.pipeline.TransformSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.source.RawRecord;
import dev.midstream.transform.FunctionStep;
import dev.midstream.transform.MappingStep;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A declarative pipeline, top to bottom:
 * source → validate (schema, rules) → normalize → (keyBy dedup key) dedup → transform steps → mask → sinks,
 * every stage's rejects unioned into the pipeline's dead letters. Uids are {@code <pipeline>/<step>} for the
 * fixed steps and {@code <pipeline>/transform/<id>} for declared ones, never positions: adding, removing or
 * reordering a stateless step leaves every stateful step's state where a savepoint expects it.
 */
public final class PipelineTopology {
    private PipelineTopology() {}

    /** What the job configuration decides for every pipeline of the job, unless a pipeline file says otherwise. */
    public record Defaults(ZoneId localZone, int maxRecordBytes, int deadLetterMaxPayloadBytes, PayloadPolicy payloadPolicy) {
        public static Defaults of(CleanseConfig config) {
            return new Defaults(config.validation.localTimeZone(), config.validation.maxRecordBytes(),
                    config.deadLetterMaxPayloadBytes, config.deadLetterPayload);
        }
    }

    public static void build(StreamExecutionEnvironment env, PipelineSpec spec, Source<RawRecord, ?, ?> source,
            PipelineSinks sinks, Defaults defaults) {
        String p = spec.name();
        // With payload redaction, the values of the fields the file declares as PII are replaced too.
        List<String> piiFields = spec.pii().stream().map(f -> f.field().substring(f.field().lastIndexOf('.') + 1)).toList();
        DeadLetterFactory deadLetters = new DeadLetterFactory(p, defaults.deadLetterMaxPayloadBytes(),
                defaults.payloadPolicy(), piiFields);
        int maxRecordBytes = spec.source().maxRecordBytes() != null ? spec.source().maxRecordBytes()
                : defaults.maxRecordBytes();
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();

        DataStream<RawRecord> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), Step.SOURCE.name(p))
                .uid(Step.SOURCE.uid(p));

        SingleOutputStreamOperator<FlowRecord> validated = Step.VALIDATE.apply(
                raw.process(new RecordValidator(spec, maxRecordBytes, defaults.localZone(), deadLetters),
                        FlowRecordTypeInfo.INSTANCE), p);
        rejected.add(validated.getSideOutput(DeadLetterFactory.TAG));

        SingleOutputStreamOperator<FlowRecord> current = Step.NORMALIZE.apply(
                validated.map(new RecordNormalizer(spec.normalize()), FlowRecordTypeInfo.INSTANCE), p);

        if (spec.dedup() != null) {
            current = current.keyBy(KeyedDeduplicator.keySelector(spec.dedup().key()), Types.STRING)
                    .process(new KeyedDeduplicator(spec.dedup(), deadLetters), FlowRecordTypeInfo.INSTANCE)
                    .uid(Step.DEDUP.uid(p))
                    .name(p + ": Deduplicate by " + String.join(", ", spec.dedup().key()));
            rejected.add(current.getSideOutput(DeadLetterFactory.TAG));
        }

        for (TransformSpec step : spec.transforms()) {
            current = (step.isFunction()
                    ? current.process(new FunctionStep(p, step.id(), step.function(), step.parameters(), deadLetters),
                            FlowRecordTypeInfo.INSTANCE)
                    : current.process(new MappingStep(step.id(), step.mapping(), step.keepUnmapped(), deadLetters),
                            FlowRecordTypeInfo.INSTANCE))
                    .uid(transformUid(p, step.id()))
                    .name(p + ": " + (step.isFunction() ? "Function " + step.function() : "Map") + " (" + step.id() + ")");
            rejected.add(current.getSideOutput(DeadLetterFactory.TAG));
        }

        SingleOutputStreamOperator<FlowRecord> masked = Step.MASK.apply(
                current.process(new RecordMasker(spec.pii()), FlowRecordTypeInfo.INSTANCE), p);

        sinks.records().accept(spec, masked);
        DataStream<DeadLetter> all = rejected.get(0);
        for (int i = 1; i < rejected.size(); i++) {
            all = all.union(rejected.get(i));
        }
        sinks.deadLetters().accept(spec, all);
    }

    public static String transformUid(String pipeline, String stepId) {
        return pipeline + "/transform/" + stepId;
    }
}
