package dev.midstream.engine;

import dev.midstream.cleanse.KeyedDeduplicator;
import dev.midstream.cleanse.RecordMasker;
import dev.midstream.cleanse.RecordNormalizer;
import dev.midstream.cleanse.RecordValidator;
import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.function.FunctionStep;
import dev.midstream.function.MappingStep;
import dev.midstream.function.RemoteBatcher;
import dev.midstream.function.RemoteCall;
import dev.midstream.function.RemoteResults;
import dev.midstream.model.Database;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.RemoteSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.StepSpec;
import dev.midstream.options.DeadLetterOptions;
import dev.midstream.options.RecordOptions;
import dev.midstream.options.TableWriteOptions;
import dev.midstream.quality.CountCombiner;
import dev.midstream.quality.QualityCount;
import dev.midstream.quality.Tally;
import dev.midstream.quality.WrittenTally;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordBatchTypeInfo;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.record.KnownTexts;
import dev.midstream.sink.RecordBatcher;
import dev.midstream.sink.SinkFitCheck;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline into the job graph, in flow order: source → validate (schema, rules) → normalize → (keyBy dedup key)
 * dedup → declared steps → mask → table fit → batch → table, and → clean topic; every stage's rejects unioned into
 * the pipeline's dead letters. Stateless steps can be added, removed or reordered; the stateful ones (source, dedup)
 * keep their uids ({@link OperatorUids}).
 */
final class PipelineTranslator {
    private final RecordOptions records;
    private final TableWriteOptions tables;
    private final DeadLetterOptions deadLetterOptions;
    private final Connectors connectors;
    private final Database database;

    PipelineTranslator(RecordOptions records, TableWriteOptions tables, DeadLetterOptions deadLetters,
            Connectors connectors) {
        this.database = connectors.database();
        this.records = records;
        this.tables = tables;
        this.deadLetterOptions = deadLetters;
        this.connectors = connectors;
    }

    /** Adds the pipeline to {@code env}; returns its counts for the quality history. */
    DataStream<QualityCount> translate(StreamExecutionEnvironment env, PipelineSpec spec) {
        OperatorUids.Pipeline ops = OperatorUids.of(spec);
        DeadLetterFactory deadLetters = deadLetters(spec);
        int maxRecordBytes = spec.source().maxRecordBytes() != null ? spec.source().maxRecordBytes()
                : records.maxRecordBytes();
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();

        // Kafka ---> Validate
        List<DataStream<QualityCount>> counts = new ArrayList<>();
        DataStream<RawRecord> source = env.fromSource(connectors.rawRecords(spec), WatermarkStrategy.noWatermarks(),
                ops.source().name()).uid(ops.source().uid());
        SingleOutputStreamOperator<RawRecord> raw = ops.tally(QualityCount.READ).on(source.transform(
                ops.tally(QualityCount.READ).name(), source.getType(),
                new Tally<RawRecord>(spec.name(), QualityCount.READ, (r, c) -> c.add(r.topic, r.partition))));
        counts.add(raw.getSideOutput(QualityCount.TAG));
        SingleOutputStreamOperator<FlowRecord> validated = ops.validate().on(raw.process(
                new RecordValidator(spec, maxRecordBytes, records.localTimeZone(), deadLetters),
                FlowRecordTypeInfo.INSTANCE));
        rejected.add(validated.getSideOutput(DeadLetterFactory.TAG));
        counts.add(combined(validated, ops.countsOf("validate")));

        // Validate ---> Normalize ---> Dedup
        SingleOutputStreamOperator<FlowRecord> current = ops.normalize().on(
                validated.map(new RecordNormalizer(spec.normalize()), FlowRecordTypeInfo.acrossTasks(new KnownTexts(spec.declaredTexts()))));
        if (spec.dedup() != null) {
            current = ops.dedup(spec.dedup().key()).on(current
                    .keyBy(KeyedDeduplicator.keySelector(spec.dedup().key()), Types.STRING)
                    .process(new KeyedDeduplicator(spec.dedup(), deadLetters), FlowRecordTypeInfo.INSTANCE));
            rejected.add(current.getSideOutput(DeadLetterFactory.TAG));
            counts.add(combined(current, ops.countsOf("dedup")));
        }

        // Dedup ---> declared steps, in file order
        for (StepSpec step : spec.steps()) {
            if (step.isRemote()) {
                current = remote(current, spec, step, ops, deadLetters);
                rejected.add(current.getSideOutput(DeadLetterFactory.TAG));
                continue;
            }
            current = ops.step(step).on(step.isFunction()
                    ? current.process(new FunctionStep(spec.name(), step.id(), step.function(), step.parameters(),
                            deadLetters), FlowRecordTypeInfo.INSTANCE)
                    : current.process(new MappingStep(step.id(), step.mapping(), step.keepUnmapped(), deadLetters),
                            FlowRecordTypeInfo.INSTANCE));
            rejected.add(current.getSideOutput(DeadLetterFactory.TAG));
        }

        // Steps ---> Mask ---> Table fit: what leaves the pipeline is masked and fits its table
        SingleOutputStreamOperator<FlowRecord> masked = ops.mask().on(
                current.process(new RecordMasker(spec.pii()), FlowRecordTypeInfo.INSTANCE));
        SingleOutputStreamOperator<FlowRecord> fitting = ops.sinkFit().on(
                masked.process(new SinkFitCheck(spec.sink(), database, spec.eventTimeField(),
                        tables.topicMaxTimestampAhead(), deadLetters, java.time.Clock.systemUTC(),
                        connectors.liveTable(spec.sink())),
                        FlowRecordTypeInfo.INSTANCE));
        rejected.add(fitting.getSideOutput(DeadLetterFactory.TAG));
        SingleOutputStreamOperator<FlowRecord> written = ops.tally(QualityCount.WRITTEN).on(fitting.transform(
                ops.tally(QualityCount.WRITTEN).name(), FlowRecordTypeInfo.INSTANCE,
                new WrittenTally(spec.name(), emptiableFields(spec.sink()), spec.quality())));
        counts.add(written.getSideOutput(QualityCount.TAG));

        // Table fit ---> Batch ---> Table, and ---> Clean topic
        ops.tableSink().on(connectors.writeTable(ops.batch().on(written.transform(ops.batch().name(),
                FlowRecordBatchTypeInfo.INSTANCE, new RecordBatcher(spec.sink(), tables.batchSize(),
                        tables.batchInterval(), connectors.rowEncoder(spec.sink())))), spec.sink()));
        if (spec.sink().topic() != null) {
            ops.topicSink().on(connectors.writeCleanTopic(written, spec));
        }

        // Every reject ---> Dead-letter topic and table
        DataStream<DeadLetter> union = union(rejected);
        SingleOutputStreamOperator<DeadLetter> all = ops.tally(QualityCount.REJECTED).on(union.transform(
                ops.tally(QualityCount.REJECTED).name(), union.getType(), new Tally<DeadLetter>(spec.name(),
                        QualityCount.REJECTED, (d, c) -> c.add(d.stageLabel(), d.rule, d.sourceTopic,
                                d.sourcePartition, 1))));
        counts.add(all.getSideOutput(QualityCount.TAG));
        if (spec.deadLetters().topic() != null) {
            ops.deadLetterTopic().on(connectors.writeDeadLetterTopic(all, spec.deadLetters().topic()));
        }
        if (spec.deadLetters().table() != null) {
            ops.deadLetterTable().on(connectors.writeDeadLetterTable(all, spec.deadLetters().table(), false));
        }
        return union(counts);
    }

    /** The record fields of the table's columns that are not in its key: those a row may leave empty. */
    private static List<String> emptiableFields(SinkSpec sink) {
        return sink.columns().stream().filter(c -> !c.field().startsWith("$") && !sink.primaryKey().contains(c.name()))
                .map(SinkSpec.Column::field).distinct().toList();
    }

    static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) {
            all = all.union(streams.get(i));
        }
        return all;
    }

    /**
     * A remote step: batch ---> async calls, ordered (a key's versions keep their order), at most
     * {@code max_in_flight} batches per subtask ---> results, their errors to dead letters.
     */
    private SingleOutputStreamOperator<FlowRecord> remote(SingleOutputStreamOperator<FlowRecord> in, PipelineSpec spec,
            StepSpec step, OperatorUids.Pipeline ops, DeadLetterFactory deadLetters) {
        RemoteSpec remote = step.remote();
        SingleOutputStreamOperator<List<FlowRecord>> batches = ops.remoteBatch(step).on(in.transform(
                ops.remoteBatch(step).name(), Types.LIST(FlowRecordTypeInfo.INSTANCE), new RemoteBatcher(remote)));
        SingleOutputStreamOperator<Either<FlowRecord, DeadLetter>> results = ops.step(step).on(AsyncDataStream
                .orderedWait(batches, new RemoteCall(spec.name(), step.id(), remote, deadLetters),
                        RemoteCall.asyncTimeoutMillis(remote), TimeUnit.MILLISECONDS, remote.maxInFlight())
                .returns(new EitherTypeInfo<>(FlowRecordTypeInfo.INSTANCE, DeadLetterFactory.TAG.getTypeInfo())));
        return ops.remoteResults(step).on(results.process(new RemoteResults(step.id()), FlowRecordTypeInfo.INSTANCE));
    }

    /** An operator's per-record counts, summed in its own task (chained) before they travel to the history. */
    static DataStream<QualityCount> combined(SingleOutputStreamOperator<?> operator, OperatorUids.Operator op) {
        return op.on(operator.getSideOutput(QualityCount.TAG).transform(op.name(), QualityCount.TYPE,
                new CountCombiner()).setParallelism(operator.getParallelism()));
    }

    /** With payload redaction, the values of the fields the file declares as PII are replaced too. */
    private DeadLetterFactory deadLetters(PipelineSpec spec) {
        return new DeadLetterFactory(spec.name(), deadLetterOptions.maxPayloadBytes(), deadLetterOptions.payload(),
                spec.piiFieldNames());
    }

}
