package dev.midstream.aggregate;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.WindowSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Event-time window aggregates per group, from keyed state and event-time timers (so every decision is visible to
 * a harness test). A window's result is emitted when the watermark passes its end; a record that arrives after
 * that but within the allowed lateness updates the window and its result is emitted again (the sink upserts by
 * group and window start, so a re-emitted result replaces the earlier one, and replays are idempotent). A record
 * whose every window closed (end + allowed lateness passed) goes to dead letters, stage {@code late}, rule
 * {@code window_closed}, naming the window it missed. State of a window is dropped when its lateness runs out.
 *
 * <p>Sources do not checkpoint their watermark: after a restore it starts again from nothing. The watermark this
 * operator had seen is therefore checkpointed too and used as a floor, so a record replayed after a failure is
 * judged late or on time exactly as it was the first time (with per-event watermarks, see {@code PerEventWatermarks}).
 */
public class WindowAggregator extends KeyedProcessFunction<String, FlowRecord, FlowRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String WINDOWS_STATE = "windows";
    public static final String DISTINCT_STATE = "distinct-values";
    public static final String WATERMARK_STATE = "watermark-floor";

    private final WindowSpec spec;
    private final DeadLetterFactory deadLetters;

    private transient MapState<Long, WindowAccumulator> windows;
    private transient MapState<String, Boolean> seen;
    private transient StageMetrics metrics;
    private transient Counter updates;
    private transient ListState<Long> watermarkState;
    private transient long watermarkFloor;
    private transient long lastWatermark;

    public WindowAggregator(WindowSpec spec, DeadLetterFactory deadLetters) {
        this.spec = spec;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>(WINDOWS_STATE, Types.LONG,
                TypeInformation.of(WindowAccumulator.class)));
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>(DISTINCT_STATE, Types.STRING, Types.BOOLEAN));
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        updates = metrics.counter("window", spec.id() + ".late_updates");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        watermarkState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>(WATERMARK_STATE, Types.LONG));
        watermarkFloor = Long.MIN_VALUE;
        for (Long restored : watermarkState.get()) {
            watermarkFloor = Math.max(watermarkFloor, restored);
        }
        lastWatermark = watermarkFloor;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watermarkState.update(List.of(lastWatermark));
    }

    private long watermark(long current) {
        lastWatermark = Math.max(lastWatermark, Math.max(watermarkFloor, current));
        return lastWatermark;
    }

    @Override
    public void processElement(FlowRecord record, Context ctx, Collector<FlowRecord> out) throws Exception {
        long ts = record.data.getInstant(spec.eventTime()).toEpochMilli();
        long watermark = watermark(ctx.timerService().currentWatermark());
        long size = spec.size().toMillis();
        long slide = spec.slide().toMillis();
        long lateness = spec.allowedLateness().toMillis();
        List<Long> closed = new ArrayList<>();
        boolean counted = false;
        for (long start = Math.floorDiv(ts, slide) * slide; start > ts - size; start -= slide) {
            long fireAt = start + size - 1;
            if (fireAt + lateness <= watermark) {
                closed.add(start);
                continue;
            }
            WindowAccumulator acc = windows.get(start);
            if (acc == null) {
                acc = new WindowAccumulator();
                ctx.timerService().registerEventTimeTimer(fireAt);
                if (lateness > 0) {
                    ctx.timerService().registerEventTimeTimer(fireAt + lateness);
                }
            }
            add(acc, start, record.data);
            windows.put(start, acc);
            counted = true;
            if (fireAt <= watermark) {
                updates.inc();
                out.collect(result(ctx.getCurrentKey(), start, acc));
            }
        }
        if (!counted) {
            metrics.rejected(Stage.LATE, "window_closed");
            ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.LATE, spec.id(), "window_closed", spec.eventTime(),
                    "event time " + Instant.ofEpochMilli(ts) + " is later than the allowed lateness of "
                            + spec.allowedLateness().toSeconds() + " s of '" + spec.id() + "' for window "
                            + describe(closed),
                    record.sourceTopic, record.sourcePartition, record.sourceOffset, record.payload));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowRecord> out) throws Exception {
        watermark(ctx.timerService().currentWatermark());
        long size = spec.size().toMillis();
        long lateness = spec.allowedLateness().toMillis();
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, WindowAccumulator> window : windows.entries()) {
            long fireAt = window.getKey() + size - 1;
            if (fireAt == timestamp) {
                out.collect(result(ctx.getCurrentKey(), window.getKey(), window.getValue()));
            }
            if (fireAt + lateness == timestamp) {
                expired.add(window.getKey());
            }
        }
        for (long start : expired) {
            windows.remove(start);
            String prefix = start + "\u0000";
            Iterator<String> keys = seen.keys().iterator();
            List<String> drop = new ArrayList<>();
            while (keys.hasNext()) {
                String key = keys.next();
                if (key.startsWith(prefix)) {
                    drop.add(key);
                }
            }
            for (String key : drop) {
                seen.remove(key);
            }
        }
    }

    private void add(WindowAccumulator acc, long start, Record data) throws Exception {
        acc.records++;
        if (spec.sumField() != null) {
            BigDecimal value = data.getDecimal(spec.sumField());
            if (value != null) {
                acc.sum = acc.sum.add(value);
            }
        }
        if (spec.distinctField() != null) {
            Object value = data.get(spec.distinctField());
            if (value != null) {
                String key = start + "\u0000" + value;
                if (!seen.contains(key)) {
                    seen.put(key, true);
                    acc.distinct++;
                }
            }
        }
    }

    /** The result row: the group's fields (as text, from the key), the window and the aggregates. */
    private FlowRecord result(String key, long start, WindowAccumulator acc) {
        Record row = new Record();
        String[] values = key.split("\u0000", -1);
        for (int i = 0; i < spec.groupBy().size(); i++) {
            row.set(spec.groupBy().get(i), values[i]);
        }
        row.set("window_start", Instant.ofEpochMilli(start));
        row.set("window_end", Instant.ofEpochMilli(start + spec.size().toMillis()));
        row.set("records", acc.records);
        if (spec.sumField() != null) {
            row.set("sum_" + spec.sumField(), acc.sum);
        }
        if (spec.distinctField() != null) {
            row.set("distinct_" + spec.distinctField(), acc.distinct);
        }
        return new FlowRecord(row, null, -1, -1, null);
    }

    private String describe(List<Long> starts) {
        List<String> windowsMissed = new ArrayList<>();
        for (long start : starts) {
            windowsMissed.add("[" + Instant.ofEpochMilli(start) + ", " + Instant.ofEpochMilli(start + spec.size().toMillis()) + ")");
        }
        return String.join(", ", windowsMissed);
    }
}
