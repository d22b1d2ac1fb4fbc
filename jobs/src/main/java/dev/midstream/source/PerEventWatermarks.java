package dev.midstream.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.time.Duration;

/**
 * Bounded out-of-orderness, emitted after every record instead of periodically: which records are late then no
 * longer depends on when a timer happened to fire, so a replay decides exactly as the first run did. Costs one
 * watermark per record; for backfills and tests.
 */
public final class PerEventWatermarks<T> implements WatermarkGenerator<T> {
    private final long delay;
    private long max = Long.MIN_VALUE;

    public PerEventWatermarks(Duration outOfOrderness) {
        this.delay = outOfOrderness.toMillis();
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        if (timestamp > max) {
            max = timestamp;
            output.emitWatermark(new Watermark(max - delay - 1));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
}
