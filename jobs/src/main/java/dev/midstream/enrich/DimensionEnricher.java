package dev.midstream.enrich;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.quality.QualityCount;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.EnrichSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.FlowRecordTypeInfo;
import dev.midstream.record.RecordKey;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins facts (input 1) with the current row of a dimension (input 2), both keyed by the join key, from keyed
 * state: no per-record database query. A fact whose dimension row is there is enriched at once with the row as it
 * is then; later dimension updates apply to later facts only. A fact whose row has not arrived waits in state until
 * the watermark passes its event time plus {@link EnrichSpec#maxWait()}; the row's arrival releases every waiting
 * fact, and when the wait runs out the fact is emitted with the dimension marked missing or sent to dead letters,
 * as configured. Waiting in event time makes the outcome replayable, and at the end of a bounded input the final
 * watermark settles every waiting fact: none is left behind.
 * An older dimension version never replaces a newer one. Counts {@code midstream.enrich.<id>.enriched},
 * {@code .late} (released by a late row) and {@code .missing}.
 */
public class DimensionEnricher extends KeyedCoProcessFunction<String, FlowRecord, FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    public static final String DIMENSION_STATE = "dimension";
    public static final String WAITING_STATE = "waiting-facts";
    public static final String DEADLINE_STATE = "wait-deadline";

    private final EnrichSpec spec;
    private final DeadLetterFactory deadLetters;

    private transient ValueState<FlowRecord> dimension;
    private transient ListState<FlowRecord> waiting;
    private transient ValueState<Long> deadline;
    private transient StageMetrics metrics;
    private transient Counter enriched;
    private transient Counter late;
    private transient Counter missing;

    public DimensionEnricher(EnrichSpec spec, DeadLetterFactory deadLetters) {
        this.spec = spec;
        this.deadLetters = deadLetters;
    }

    /** Facts and dimension rows are keyed alike, by {@link RecordKey}. */
    public static KeySelector<FlowRecord, String> key(List<String> fields) {
        return RecordKey.of(fields);
    }

    @Override
    public void open(OpenContext openContext) {
        dimension = getRuntimeContext().getState(new ValueStateDescriptor<>(DIMENSION_STATE, FlowRecordTypeInfo.INSTANCE));
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>(WAITING_STATE, FlowRecordTypeInfo.INSTANCE));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>(DEADLINE_STATE, Types.LONG));
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        enriched = metrics.counter("enrich", spec.id() + ".enriched");
        late = metrics.counter("enrich", spec.id() + ".late");
        missing = metrics.counter("enrich", spec.id() + ".missing");
    }

    @Override
    public void processElement1(FlowRecord fact, Context ctx, Collector<FlowRecord> out) throws Exception {
        FlowRecord row = dimension.value();
        if (row != null) {
            out.collect(join(fact, row.data));
            enriched.inc();
            return;
        }
        waiting.add(fact);
        Long eventTime = ctx.timestamp();
        long at = (eventTime == null ? ctx.timerService().currentWatermark() : eventTime) + spec.maxWait().toMillis();
        Long current = deadline.value();
        if (current == null || at > current) {
            // One timer per key: the latest deadline of the waiting facts; an earlier one is replaced.
            if (current != null) {
                ctx.timerService().deleteEventTimeTimer(current);
            }
            deadline.update(at);
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    @Override
    public void processElement2(FlowRecord row, Context ctx, Collector<FlowRecord> out) throws Exception {
        FlowRecord current = dimension.value();
        if (current != null && isOlder(row.data, current.data)) {
            return;
        }
        dimension.update(row);
        Long pending = deadline.value();
        if (pending != null) {
            for (FlowRecord fact : waiting.get()) {
                out.collect(join(fact, row.data));
                enriched.inc();
                late.inc();
            }
            waiting.clear();
            deadline.clear();
            ctx.timerService().deleteEventTimeTimer(pending);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowRecord> out) throws Exception {
        for (FlowRecord fact : waiting.get()) {
            missing.inc();
            if (spec.onMissing() == EnrichSpec.OnMissing.EMIT) {
                fact.data.set(spec.missingFlag(), true);
                ctx.output(QualityCount.TAG, new QualityCount(deadLetters.pipeline(), QualityCount.UNMATCHED,
                        Stage.ENRICH.id() + ":" + spec.id(), "dimension_missing", fact.sourceTopic,
                        fact.sourcePartition, 1));
                out.collect(fact);
            } else {
                metrics.rejected(Stage.ENRICH, "dimension_missing");
                ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.ENRICH, spec.id(), "dimension_missing", null,
                        "no dimension row for key " + String.join(", ", spec.factKey()) + " within "
                                + spec.maxWait().toSeconds() + " s (step '" + spec.id() + "')",
                        fact.sourceTopic, fact.sourcePartition, fact.sourceOffset, fact.payload));
            }
        }
        waiting.clear();
        deadline.clear();
    }

    private FlowRecord join(FlowRecord fact, Record row) {
        for (Map.Entry<String, String> field : spec.fields().entrySet()) {
            fact.data.set(field.getKey(), copyOf(row.get(field.getValue())));
        }
        if (spec.missingFlag() != null) {
            fact.data.set(spec.missingFlag(), false);
        }
        return fact;
    }

    private static Object copyOf(Object value) {
        return value instanceof Record r ? r.copy() : value instanceof List<?> l ? new ArrayList<>(l) : value;
    }

    private boolean isOlder(Record candidate, Record current) {
        if (spec.dimensionVersion() == null) {
            return false;
        }
        Object a = candidate.get(spec.dimensionVersion());
        Object b = current.get(spec.dimensionVersion());
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.isBefore(y);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x < y;
        }
        return false;
    }
}
