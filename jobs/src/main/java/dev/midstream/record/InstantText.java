package dev.midstream.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} (ISO-8601 in UTC, seconds always, the fraction in groups of three digits as needed)
 * written by hand for the years 1 to 9999 and by the JDK for the rest: the JDK's formatter was 8 % of the
 * deduplicating task, where every record's times are written into its content fingerprint and its table row.
 */
public final class InstantText {
    private static final long FIRST = LocalDate.of(1, 1, 1).toEpochDay() * 86_400;
    private static final long END = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

    private InstantText() {}

    public static String of(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST || seconds >= END) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        int nano = instant.getNano();
        byte[] text = new byte[30];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int at = 19;
        if (nano != 0) {
            text[at++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(text, at, nano / 1_000_000, 3);
                at += 3;
            } else if (nano % 1_000 == 0) {
                digits(text, at, nano / 1_000, 6);
                at += 6;
            } else {
                digits(text, at, nano, 9);
                at += 9;
            }
        }
        text[at++] = 'Z';
        return new String(text, 0, at, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
