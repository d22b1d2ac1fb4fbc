package dev.midstream.engine;

import dev.midstream.aggregate.WindowAggregator;
import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.enrich.DimensionEnricher;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.options.DeadLetterOptions;
import dev.midstream.options.TableWriteOptions;
import dev.midstream.quality.QualityCount;
import dev.midstream.quality.Tally;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordBatchTypeInfo;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.record.RecordKey;
import dev.midstream.sink.RecordBatcher;
import dev.midstream.source.CleanRecordParser;
import dev.midstream.source.CleanTopicSource;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.List;

/**
 * One transform into the job graph, in flow order: clean facts and clean dimension rows (read_committed) → parse →
 * facts looked up in reference tables (optional) → facts joined with the dimension's current row
 * ({@link DimensionEnricher}) → wide table; facts → per-group event-time windows ({@link WindowAggregator}) →
 * aggregate tables, each upserted by group and window start; every reject → the transform's dead letters. Windows
 * read the facts before enrichment, so a fact waiting for its dimension is never late for them.
 */
final class LayerTranslator {
    private final TableWriteOptions tables;
    private final DeadLetterOptions deadLetterOptions;
    private final Connectors connectors;

    LayerTranslator(TableWriteOptions tables, DeadLetterOptions deadLetters, Connectors connectors) {
        this.tables = tables;
        this.deadLetterOptions = deadLetters;
        this.connectors = connectors;
    }

    /** Adds the transform to {@code env}; returns its counts (facts read, rejects per step) for the quality history. */
    DataStream<QualityCount> translate(StreamExecutionEnvironment env, LayerSpec spec) {
        OperatorUids.Layer ops = OperatorUids.of(spec);
        // Its inputs are masked clean records, but the payload policy the user set holds for every dead letter.
        DeadLetterFactory letters = new DeadLetterFactory(spec.name(), deadLetterOptions.maxPayloadBytes(),
                deadLetterOptions.payload(), List.of());
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        List<DataStream<QualityCount>> counts = new ArrayList<>();
        WatermarkStrategy<RawRecord> watermarks = spec.perEventWatermarks()
                ? CleanTopicSource.perEventWatermarks(spec.outOfOrderness(), spec.idleness())
                : CleanTopicSource.watermarks(spec.outOfOrderness(), spec.idleness());

        // Clean facts ---> Parse ---> Lookups
        OperatorUids.Operator factsSource = ops.factsSource(spec.facts().topic());
        DataStream<RawRecord> factRecords = env
                .fromSource(connectors.cleanRecords(spec, spec.facts().topic()), watermarks, factsSource.name())
                .uid(factsSource.uid());
        SingleOutputStreamOperator<RawRecord> factsRead = ops.tally(QualityCount.READ).on(factRecords.transform(
                ops.tally(QualityCount.READ).name(), factRecords.getType(), new Tally<RawRecord>(spec.name(),
                        QualityCount.READ, (r, c) -> c.add(r.topic, r.partition))));
        SingleOutputStreamOperator<FlowRecord> parsed = ops.factsParse().on(factsRead
                .process(new CleanRecordParser(spec.facts().timestampFields(), letters), FlowRecordTypeInfo.INSTANCE));
        rejected.add(parsed.getSideOutput(DeadLetterFactory.TAG));
        DataStream<FlowRecord> facts = parsed;
        for (LookupSpec lookup : spec.lookups()) {
            SingleOutputStreamOperator<FlowRecord> looked = ops.lookup(lookup).on(
                    facts.process(connectors.lookup(lookup, letters), FlowRecordTypeInfo.INSTANCE));
            rejected.add(looked.getSideOutput(DeadLetterFactory.TAG));
            counts.add(PipelineTranslator.combined(looked, ops.countsOf("lookup/" + lookup.id())));
            facts = looked;
        }

        // Facts + clean dimension ---> Enrich ---> Wide table
        DataStream<FlowRecord> wideRows = facts;
        if (spec.enrich() != null) {
            OperatorUids.Operator dimensionSource = ops.dimensionSource(spec.dimension().topic());
            SingleOutputStreamOperator<FlowRecord> dimension = ops.dimensionParse().on(env
                    .fromSource(connectors.cleanRecords(spec, spec.dimension().topic()), watermarks,
                            dimensionSource.name())
                    .uid(dimensionSource.uid())
                    .process(new CleanRecordParser(spec.dimension().timestampFields(), letters),
                            FlowRecordTypeInfo.INSTANCE));
            rejected.add(dimension.getSideOutput(DeadLetterFactory.TAG));
            SingleOutputStreamOperator<FlowRecord> enriched = ops.enrich(spec.enrich().id()).on(facts
                    .keyBy(RecordKey.of(spec.enrich().factKey()), Types.STRING)
                    .connect(dimension.keyBy(RecordKey.of(spec.enrich().dimensionKey()), Types.STRING))
                    .process(new DimensionEnricher(spec.enrich(), letters), FlowRecordTypeInfo.INSTANCE));
            rejected.add(enriched.getSideOutput(DeadLetterFactory.TAG));
            counts.add(PipelineTranslator.combined(enriched, ops.countsOf("enrich/" + spec.enrich().id())));
            wideRows = enriched;
        }
        if (spec.wideTable() != null) {
            writeTable(wideRows, spec.wideTable(), ops.wideTable(spec.wideTable()), ops);
        }

        // Facts ---> Windows ---> Aggregate tables
        for (LayerSpec.Aggregate aggregate : spec.aggregates()) {
            String id = aggregate.window().id();
            SingleOutputStreamOperator<FlowRecord> windows = ops.window(id).on(facts
                    .keyBy(RecordKey.of(aggregate.window().groupBy()), Types.STRING)
                    .process(new WindowAggregator(aggregate.window(), letters), FlowRecordTypeInfo.INSTANCE));
            rejected.add(windows.getSideOutput(DeadLetterFactory.TAG));
            writeTable(windows, aggregate.table(), ops.windowTable(id, aggregate.table()), ops);
        }

        // Every reject ---> Dead-letter table, one row per record and step
        DataStream<DeadLetter> union = PipelineTranslator.union(rejected);
        SingleOutputStreamOperator<DeadLetter> all = ops.tally(QualityCount.REJECTED).on(union.transform(
                ops.tally(QualityCount.REJECTED).name(), union.getType(), new Tally<DeadLetter>(spec.name(),
                        QualityCount.REJECTED, (d, c) -> c.add(d.stageLabel(), d.rule, d.sourceTopic,
                                d.sourcePartition, 1))));
        ops.deadLetters(spec.deadLetterTable()).on(connectors.writeDeadLetterTable(all, spec.deadLetterTable(), true));
        counts.add(factsRead.getSideOutput(QualityCount.TAG));
        counts.add(all.getSideOutput(QualityCount.TAG));
        return PipelineTranslator.union(counts);
    }

    private void writeTable(DataStream<FlowRecord> rows, SinkSpec table, OperatorUids.Operator sink,
            OperatorUids.Layer ops) {
        OperatorUids.Operator batch = ops.batchOf(sink);
        sink.on(connectors.writeTable(batch.on(rows.transform(batch.name(), FlowRecordBatchTypeInfo.INSTANCE,
                new RecordBatcher(table, tables.batchSize(), tables.batchInterval(), connectors.rowEncoder(table)))),
                table));
    }
}
