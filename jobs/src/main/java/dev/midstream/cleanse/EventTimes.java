package dev.midstream.cleanse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Parses the event_time formats producers send into a UTC instant with millisecond precision. */
public final class EventTimes {
    private EventTimes() {}

    /**
     * ISO-8601 with an offset ({@code 2024-05-01T10:00:00+08:00}, {@code ...Z}) or without one
     * ({@code 2024-05-01T10:00:00}, also with a space instead of {@code T}), read in {@code localZone}.
     *
     * @throws DateTimeParseException if the text is neither
     */
    public static Instant parse(String text, ZoneId localZone) {
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
}
