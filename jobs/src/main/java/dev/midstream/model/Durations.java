package dev.midstream.model;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The one grammar for durations in Midstream's files, the same as Flink's {@code TimeUtils.parseDuration} (which
 * reads the durations of the job configuration): a whole number, optional white space, and an optional unit,
 * any case: {@code d|day|days}, {@code h|hour|hours}, {@code min|m|minute|minutes}, {@code s|sec|secs|second|seconds},
 * {@code ms|milli|millis|millisecond|milliseconds}, {@code µs|micro|…}, {@code ns|nano|…}; no unit means
 * milliseconds. Since Flink 2.2 also an ISO-8601 duration ({@code PT1H30M}, {@code P1D}), never negative. Written
 * here rather than called, because pipeline files are checked where Flink is not on the class
 * path ({@code midstream validate}); a test holds the two to the same answers.
 */
public final class Durations {
    private static final Map<String, Duration> UNITS = units();
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private Durations() {}

    /** @throws IllegalArgumentException naming what is wrong, for text that is not a duration */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        int digits = 0;
        while (digits < trimmed.length() && Character.isDigit(trimmed.charAt(digits))) {
            digits++;
        }
        if (digits == 0) {
            return iso8601(text, trimmed);
        }
        BigInteger amount = new BigInteger(trimmed.substring(0, digits));
        String label = trimmed.substring(digits).strip().toLowerCase(Locale.US);
        Duration unit = label.isEmpty() ? Duration.ofMillis(1) : UNITS.get(label);
        if (unit == null) {
            throw new IllegalArgumentException("'" + label + "' is not a unit; use ms, s, min, h or d");
        }
        BigInteger[] seconds = amount.multiply(BigInteger.valueOf(unit.toNanos())).divideAndRemainder(NANOS_PER_SECOND);
        if (seconds[0].bitLength() > 63) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return Duration.ofSeconds(seconds[0].longValueExact(), seconds[1].longValueExact());
    }

    private static Duration iso8601(String text, String trimmed) {
        Duration duration;
        try {
            duration = Duration.parse(trimmed);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' does not start with a number and is not an ISO-8601"
                    + " duration such as PT15M");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return duration;
    }

    private static Map<String, Duration> units() {
        Map<String, Duration> units = new java.util.HashMap<>();
        put(units, Duration.ofDays(1), "d", "day", "days");
        put(units, Duration.ofHours(1), "h", "hour", "hours");
        put(units, Duration.ofMinutes(1), "min", "m", "minute", "minutes");
        put(units, Duration.ofSeconds(1), "s", "sec", "secs", "second", "seconds");
        put(units, Duration.ofMillis(1), "ms", "milli", "millis", "millisecond", "milliseconds");
        put(units, Duration.ofNanos(1000), "µs", "micro", "micros", "microsecond", "microseconds");
        put(units, Duration.ofNanos(1), "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        return Map.copyOf(units);
    }

    private static void put(Map<String, Duration> units, Duration unit, String... labels) {
        for (String label : labels) {
            units.put(label, unit);
        }
    }
}
