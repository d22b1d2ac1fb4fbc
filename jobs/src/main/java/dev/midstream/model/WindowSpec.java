package dev.midstream.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * An event-time window aggregate: records grouped by {@code groupBy}, in windows of {@code size} starting every
 * {@code slide} (equal for tumbling windows), counting records, summing {@code sumField} and counting distinct
 * values of {@code distinctField} (either may be null). A record later than {@code allowedLateness} after its
 * window's end goes to dead letters; within it, the window's result is emitted again, updated.
 */
public record WindowSpec(String id, List<String> groupBy, String eventTime, Duration size, Duration slide,
        Duration allowedLateness, String sumField, String distinctField) implements Serializable {

    public WindowSpec {
        groupBy = List.copyOf(groupBy);
        if (size.isZero() || size.isNegative() || slide.isZero() || slide.isNegative() || slide.compareTo(size) > 0) {
            throw new IllegalArgumentException("window '" + id + "': size and slide must be positive, slide at most size");
        }
        if (size.toMillis() % slide.toMillis() != 0) {
            throw new IllegalArgumentException("window '" + id + "': size must be a multiple of slide");
        }
    }

    public static WindowSpec tumbling(String id, List<String> groupBy, String eventTime, Duration size,
            Duration allowedLateness, String sumField, String distinctField) {
        return new WindowSpec(id, groupBy, eventTime, size, size, allowedLateness, sumField, distinctField);
    }
}
