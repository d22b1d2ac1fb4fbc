package dev.midstream.layer;

import dev.midstream.aggregate.WindowAggregator;
import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.enrich.DimensionEnricher;
import dev.midstream.enrich.LookupSpec;
import dev.midstream.pipeline.SinkSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.record.RecordKey;
import dev.midstream.source.CleanRecordParser;
import dev.midstream.source.CleanTopicSource;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The second layer, top to bottom: clean facts and clean dimension rows (read_committed) → parse → facts looked
 * up in reference tables ({@link dev.midstream.enrich.JdbcLookupEnricher}, optional) → facts joined
 * with the dimension's current row ({@link DimensionEnricher}) → wide table; facts → per-group event-time windows
 * ({@link WindowAggregator}) → aggregate tables, each upserted by group and window start; every reject → dead
 * letters. Windows read the facts before enrichment, so a fact waiting for its dimension is never late for them.
 * Uids are {@code <job>/<step>}.
 */
public final class TransformTopology {
    private TransformTopology() {}

    /** Attaches a table sink for a stream of rows ({@code sinkUid} is the sink's uid). */
    public interface TableSinks {
        void attach(DataStream<FlowRecord> rows, SinkSpec table, String sinkUid, String sinkName);
    }

    /** Makes the operator that looks records up in a reference table. */
    public interface Lookups {
        ProcessFunction<FlowRecord, FlowRecord> enricher(LookupSpec spec, DeadLetterFactory deadLetters);
    }

    public static void build(StreamExecutionEnvironment env, TransformJobSpec spec,
            Function<String, Source<RawRecord, ?, ?>> sources, Lookups lookups, TableSinks tables,
            Consumer<DataStream<DeadLetter>> deadLetters) {
        String p = spec.name();
        DeadLetterFactory letters = new DeadLetterFactory(p, 64 * 1024);
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        WatermarkStrategy<RawRecord> watermarks = spec.perEventWatermarks()
                ? CleanTopicSource.perEventWatermarks(spec.outOfOrderness(), spec.idleness())
                : CleanTopicSource.watermarks(spec.outOfOrderness(), spec.idleness());

        SingleOutputStreamOperator<FlowRecord> parsed = env
                .fromSource(sources.apply(spec.facts().topic()), watermarks, p + ": facts from " + spec.facts().topic())
                .uid(p + "/facts-source")
                .process(new CleanRecordParser(spec.facts().timestampFields(), letters), FlowRecordTypeInfo.INSTANCE)
                .uid(p + "/facts-parse").name(p + ": Parse facts");
        rejected.add(parsed.getSideOutput(DeadLetterFactory.TAG));
        DataStream<FlowRecord> facts = parsed;
        for (LookupSpec lookup : spec.lookups()) {
            SingleOutputStreamOperator<FlowRecord> looked = facts
                    .process(lookups.enricher(lookup, letters), FlowRecordTypeInfo.INSTANCE)
                    .uid(p + "/lookup/" + lookup.id()).name(p + ": Lookup (" + lookup.id() + " in " + lookup.table() + ")");
            rejected.add(looked.getSideOutput(DeadLetterFactory.TAG));
            facts = looked;
        }

        DataStream<FlowRecord> wideRows = facts;
        if (spec.enrich() != null) {
            SingleOutputStreamOperator<FlowRecord> dimension = env
                    .fromSource(sources.apply(spec.dimension().topic()), watermarks,
                            p + ": dimension from " + spec.dimension().topic())
                    .uid(p + "/dimension-source")
                    .process(new CleanRecordParser(spec.dimension().timestampFields(), letters), FlowRecordTypeInfo.INSTANCE)
                    .uid(p + "/dimension-parse").name(p + ": Parse dimension");
            rejected.add(dimension.getSideOutput(DeadLetterFactory.TAG));
            SingleOutputStreamOperator<FlowRecord> enriched = facts
                    .keyBy(RecordKey.of(spec.enrich().factKey()), Types.STRING)
                    .connect(dimension.keyBy(RecordKey.of(spec.enrich().dimensionKey()), Types.STRING))
                    .process(new DimensionEnricher(spec.enrich(), letters), FlowRecordTypeInfo.INSTANCE)
                    .uid(p + "/enrich/" + spec.enrich().id()).name(p + ": Enrich (" + spec.enrich().id() + ")");
            rejected.add(enriched.getSideOutput(DeadLetterFactory.TAG));
            wideRows = enriched;
        }
        if (spec.wideTable() != null) {
            tables.attach(wideRows, spec.wideTable(), p + "/wide-table", p + ": " + spec.wideTable().table());
        }

        for (TransformJobSpec.Aggregate aggregate : spec.aggregates()) {
            String id = aggregate.window().id();
            SingleOutputStreamOperator<FlowRecord> windows = facts
                    .keyBy(RecordKey.of(aggregate.window().groupBy()), Types.STRING)
                    .process(new WindowAggregator(aggregate.window(), letters), FlowRecordTypeInfo.INSTANCE)
                    .uid(p + "/window/" + id).name(p + ": Window (" + id + ")");
            rejected.add(windows.getSideOutput(DeadLetterFactory.TAG));
            tables.attach(windows, aggregate.table(), p + "/window-table/" + id, p + ": " + aggregate.table().table());
        }

        DataStream<DeadLetter> all = rejected.get(0);
        for (int i = 1; i < rejected.size(); i++) {
            all = all.union(rejected.get(i));
        }
        deadLetters.accept(all);
    }
}
