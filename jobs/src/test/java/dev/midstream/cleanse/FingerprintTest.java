package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

class FingerprintTest {
    /** The function as the 0.1 releases computed it: savepoints hold its values, so it is the definition. */
    static long reference(Record data) {
        long hash = 0xcbf29ce484222325L;
        for (Map.Entry<String, Object> field : data.asMap().entrySet()) {
            hash = referenceMix(hash, field.getKey());
            Object value = field.getValue();
            hash = referenceMix(hash, value instanceof Record nested ? Long.toHexString(reference(nested))
                    : value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString()
                    : String.valueOf(value));
        }
        return hash;
    }

    static long referenceMix(long hash, String value) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return (hash ^ 0x100) * 0x100000001b3L;
    }

    @Test
    void everyKindOfValueHashesAsTheSavepointsOfTheFirstReleasesHold() {
        Random random = new Random(19);
        for (int i = 0; i < 20_000; i++) {
            Record record = randomRecord(random, 2);
            assertEquals(reference(record), Fingerprint.of(record), "record " + i + " " + record.asMap());
        }
    }

    @Test
    void theEdgesOfWholeNumbersAndTextHashAsTheirStrings() {
        Object[] values = {0L, 1L, 9L, 10L, -1L, -10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
            999_999_999_999_999_999L, 1_000_000_000_000_000_000L, "", "a", "é", "日本", "\uD83D\uDE00", "\uD800",
            "x\uDC00y", "\u007f\u0080", new BigDecimal("1.50"), new BigDecimal("-0.000"), true,
            Instant.parse("2026-12-03T09:00:00.120Z"), Instant.parse("2026-12-03T09:00:00Z"), Instant.MIN, Instant.MAX,
            Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0000-12-31T23:59:59.5Z"), List.of("a", 1L),
            new Record().set("k", "v")};
        for (Object value : values) {
            Record record = new Record().set("f", value);
            assertEquals(reference(record), Fingerprint.of(record), String.valueOf(value));
        }
        assertEquals(referenceMix(Fingerprint.of(new Record().set("id", "1")), "\u0000deleted"),
                Fingerprint.mix(Fingerprint.of(new Record().set("id", "1")), "\u0000deleted"));
    }

    @Test
    void decimalsOfEveryScaleAndSizeHashAsTheirStrippedPlainText() {
        Random random = new Random(23);
        List<BigDecimal> decimals = new ArrayList<>();
        for (String text : new String[] {"0", "0.000", "-0.00", "0E+5", "1", "-1", "10", "1200", "1.200", "100.00",
            "0.05", "-0.05", "0.000000000000000001", "0.0000000000000000001", "123456789012345678",
            "1234567890123456789", "999999999999999999", "-999999999999999999", "0.999999999999999999", "9.2E+18",
            "-9223372036854775808", "9223372036854775807", "1E+30", "12E-30", "4.50", "-3.14159"}) {
            decimals.add(new BigDecimal(text));
        }
        for (int i = 0; i < 20_000; i++) {
            long unscaled = switch (random.nextInt(4)) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt(1_000_000) * (long) Math.pow(10, random.nextInt(8));
                case 2 -> random.nextInt(200) - 100;
                default -> random.nextLong() % 1_000_000_000_000L;
            };
            decimals.add(BigDecimal.valueOf(unscaled, random.nextInt(46) - 20));
        }
        decimals.add(new BigDecimal(new java.math.BigInteger(100, random), 7));
        for (BigDecimal d : decimals) {
            Record record = new Record().set("amount", d);
            assertEquals(reference(record), Fingerprint.of(record), d.toString());
        }
    }

    @Test
    void differentContentHashesDifferently() {
        assertNotEquals(Fingerprint.of(new Record().set("a", "1")), Fingerprint.of(new Record().set("a", 1L).set("b", "")));
        assertNotEquals(Fingerprint.of(new Record().set("ab", "c")), Fingerprint.of(new Record().set("a", "bc")));
    }

    private static Record randomRecord(Random random, int depth) {
        Record record = new Record();
        int fields = random.nextInt(12);
        for (int f = 0; f < fields; f++) {
            record.set(randomText(random, 1 + random.nextInt(8)), randomValue(random, depth));
        }
        return record;
    }

    private static Object randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 8 : 6)) {
            case 0 -> randomText(random, random.nextInt(20));
            case 1 -> random.nextInt(4) == 0 ? random.nextLong() : (long) (random.nextInt(2_000_001) - 1_000_000);
            case 2 -> BigDecimal.valueOf(random.nextLong() % 10_000_000, random.nextInt(6) - 1);
            case 3 -> random.nextBoolean();
            case 4 -> Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(3) * 1_000_000L * random.nextInt(1000));
            case 5 -> "plain-" + random.nextInt(1000);
            case 6 -> randomRecord(random, depth - 1);
            default -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, 0));
                }
                yield list;
            }
        };
    }

    /** Mostly ASCII, with Latin-1, other planes, emoji and lone surrogates mixed in. */
    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(20);
            if (kind == 0) {
                text.append((char) (0x80 + random.nextInt(0x780)));
            } else if (kind == 1) {
                text.appendCodePoint(0x1F300 + random.nextInt(0x300));
            } else if (kind == 2) {
                text.append((char) (0xD800 + random.nextInt(0x800)));
            } else if (kind == 3) {
                text.append((char) (0x3000 + random.nextInt(0x5000)));
            } else {
                text.append((char) (0x20 + random.nextInt(0x5f)));
            }
        }
        return text.toString();
    }
}
