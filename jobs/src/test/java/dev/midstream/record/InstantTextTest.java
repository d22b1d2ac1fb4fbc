package dev.midstream.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

class InstantTextTest {
    @Test
    void writesWhatInstantToStringWrites() {
        Random random = new Random(3);
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long end = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = first + Math.floorMod(random.nextLong(), end - first);
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertEquals(instant.toString(), InstantText.of(instant));
        }
    }

    @Test
    void theEdgesOfItsRangeAndBeyondAreTheJdksToo() {
        String[] edges = {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00.000001Z", "2026-12-03T09:00:00.100Z",
            "0000-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z"};
        for (String edge : edges) {
            Instant instant = Instant.parse(edge);
            assertEquals(instant.toString(), InstantText.of(instant), edge);
        }
        assertEquals(Instant.MAX.toString(), InstantText.of(Instant.MAX));
        assertEquals(Instant.MIN.toString(), InstantText.of(Instant.MIN));
        assertEquals(Instant.EPOCH.minusNanos(1).toString(), InstantText.of(Instant.EPOCH.minusNanos(1)));
    }

    @Test
    void timesOfOneDayAfterAnotherAcrossMidnightsAndBackAgain() {
        Instant start = Instant.parse("2026-11-30T23:59:58.5Z");
        Random random = new Random(5);
        Instant time = start;
        for (int i = 0; i < 100_000; i++) {
            time = time.plusMillis(random.nextInt(4_000) - 1_000); // mostly forward, sometimes back over midnight
            assertEquals(time.toString(), InstantText.of(time));
        }
        assertEquals(start.toString(), InstantText.of(start));
    }

    @Test
    void writesIntoAnArrayFromAnOffsetAndNothingOutsideItsRange() {
        byte[] text = new byte[4 + InstantText.MAX_LENGTH];
        Instant instant = Instant.parse("2026-12-03T17:05:09.123456789Z");
        int end = InstantText.write(instant, text, 4);
        assertEquals(4 + instant.toString().length(), end);
        assertEquals(instant.toString(), new String(text, 4, end - 4, StandardCharsets.US_ASCII));
        assertEquals(0, text[3]);
        byte[] untouched = new byte[InstantText.MAX_LENGTH];
        assertEquals(-1, InstantText.write(Instant.parse("+10000-01-01T00:00:00Z"), untouched, 0));
        assertEquals(-1, InstantText.write(Instant.parse("0000-12-31T23:59:59Z"), untouched, 0));
        assertArrayEquals(new byte[InstantText.MAX_LENGTH], untouched);
    }

    @Test
    void daysThatShareACacheSlotTakeTurns() {
        Instant a = Instant.parse("2026-11-01T08:00:00Z");
        Instant b = a.plus(java.time.Duration.ofDays(64)); // the same slot of 64
        Instant c = a.minus(java.time.Duration.ofDays(64 * 300));
        for (int i = 0; i < 10; i++) {
            for (Instant instant : new Instant[] {a, b, c, a.plusSeconds(i), b.minusSeconds(i)}) {
                assertEquals(instant.toString(), InstantText.of(instant));
            }
        }
    }
}
