package dev.midstream.cleanse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Parses the event_time formats producers send into a UTC instant with millisecond precision. */
public final class EventTimes {
    private static final int[] NANOS_PER_DIGIT = {
        100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private EventTimes() {}

    /**
     * ISO-8601 with an offset ({@code 2024-05-01T10:00:00+08:00}, {@code ...Z}) or without one
     * ({@code 2024-05-01T10:00:00}, also with a space instead of {@code T}), read in {@code localZone}.
     *
     * @throws DateTimeParseException if the text is neither
     */
    public static Instant parse(String text, ZoneId localZone) {
        Instant common = parseCommonShape(text, localZone);
        return common != null ? common : parseIso(text, localZone);
    }

    /** The definition {@link #parse} keeps: the JDK's ISO parsers, also for shapes read by position. */
    static Instant parseIso(String text, ZoneId localZone) {
        String iso = text.length() > 10 && text.charAt(10) == ' '
                ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        Instant instant;
        try {
            instant = OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            instant = LocalDateTime.parse(iso).atZone(localZone).toInstant();
        }
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The shapes producers send, read by position: {@code yyyy-MM-dd}, {@code T} or a space, {@code HH:mm:ss},
     * up to nine fraction digits, then {@code Z}, {@code ±HH:mm} or nothing. Null for any other shape or a value
     * out of range, which the ISO parsers then read or refuse. This avoids their cost, and above all the exception
     * {@code OffsetDateTime.parse} throws for every time without an offset.
     */
    private static Instant parseCommonShape(String t, ZoneId localZone) {
        int n = t.length();
        if (n < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 10 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = digits(t, start, count) * NANOS_PER_DIGIT[count - 1];
        }
        ZoneOffset offset = null;
        if (i + 1 == n && t.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i + 6 == n && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int hours = digits(t, i + 1, 2);
            int minutes = digits(t, i + 4, 2);
            if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
                return null;
            }
            int seconds = hours * 3600 + minutes * 60;
            offset = ZoneOffset.ofTotalSeconds(t.charAt(i) == '-' ? -seconds : seconds);
        } else if (i != n) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            Instant instant = offset == null ? local.atZone(localZone).toInstant() : local.toInstant(offset);
            return instant.truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The ASCII digits at {@code [from, from + count)} as a number, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
