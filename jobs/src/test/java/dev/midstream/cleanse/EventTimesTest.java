package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Random;

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

    /**
     * The shapes read by position against the ISO parsers, on near-misses of them: every character of a valid
     * time replaced, dropped or doubled, offsets and fractions of every length, dates that do not exist.
     */
    @Test
    void readingByPositionAgreesWithTheIsoParsers() {
        Random random = new Random(7);
        String[] seeds = {"2024-05-01T10:00:00", "2024-05-01 10:00:00", "2024-02-29T23:59:59.999999999Z",
                "2023-02-29T10:00:00", "2024-12-31T00:00:00.5+05:30", "0000-01-01T00:00:00-18:00",
                "9999-12-31T23:59:59+18:00", "2024-05-01T10:00:00.1234567890Z", "2024-05-01T10:00:00+18:01",
                "2024-05-01T10:00:00-00:00", "2024-05-01t10:00:00z", "2024-05-01T10:00", "2024-05-01T10:00:00+0530",
                "2024-05-01T10:00:00.Z", "2024-13-01T10:00:00Z", "2024-05-01T24:00:00", "2024-05-01T10:60:00Z"};
        String alphabet = "0123456789-:.TZ+ tz٠";
        int checked = 0;
        for (String seed : seeds) {
            check(seed);
            for (int i = 0; i < 3000; i++) {
                StringBuilder s = new StringBuilder(seed);
                for (int edits = 1 + random.nextInt(2); edits > 0 && s.length() > 0; edits--) {
                    int at = random.nextInt(s.length());
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    switch (random.nextInt(3)) {
                        case 0 -> s.setCharAt(at, c);
                        case 1 -> s.deleteCharAt(at);
                        default -> s.insert(at, c);
                    }
                }
                check(s.toString());
                checked++;
            }
        }
        assertEquals(seeds.length * 3000, checked);
    }

    private static void check(String text) {
        Object expected;
        try {
            expected = EventTimes.parseIso(text, SHANGHAI);
        } catch (DateTimeParseException e) {
            expected = DateTimeParseException.class;
        }
        Object actual;
        try {
            actual = EventTimes.parse(text, SHANGHAI);
        } catch (DateTimeParseException e) {
            actual = DateTimeParseException.class;
        }
        assertEquals(expected, actual, text);
    }
}
