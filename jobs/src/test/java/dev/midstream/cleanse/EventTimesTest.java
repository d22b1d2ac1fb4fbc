package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** The event_time formats producers send, each to the same UTC instant; everything else refused. */
class EventTimesTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ParameterizedTest
    @CsvSource({
            "2024-05-01T02:00:00Z, 2024-05-01T02:00:00Z",
            "2024-05-01T02:00:00.123456Z, 2024-05-01T02:00:00.123Z",
            "2024-05-01T07:30:00+05:30, 2024-05-01T02:00:00Z",
            "2024-04-30T19:00:00-07:00, 2024-05-01T02:00:00Z",
            "2024-05-01T10:00:00, 2024-05-01T02:00:00Z",
            "2024-05-01 10:00:00.5, 2024-05-01T02:00:00.500Z",
            "2024-05-01 10:00, 2024-05-01T02:00:00Z",
    })
    void everyFormatBecomesTheSameInstant(String text, String expected) {
        assertEquals(Instant.parse(expected), EventTimes.parse(text, SHANGHAI));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-02-30T10:00:00", "2024-05-01T10:00:00+25:00", "2024-05-01T25:00:00Z",
            "2024-05-01", "2024-05-01T10:00:00-", ""})
    void anythingElseIsAParseError(String text) {
        assertThrows(DateTimeParseException.class, () -> EventTimes.parse(text, SHANGHAI));
    }
}
