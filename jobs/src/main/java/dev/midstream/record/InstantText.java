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
    /** The most bytes {@link #write} writes. */
    public static final int MAX_LENGTH = 30;

    private static final long FIRST = LocalDate.of(1, 1, 1).toEpochDay() * 86_400;
    private static final long END = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

    /**
     * The dates of recent instants, by day modulo 64. A stream's times fall on a few days at once (each source
     * partition moves through time on its own), so the calendar arithmetic runs once per day instead of once per
     * value. Shared by threads without a lock: a day is immutable, so a thread sees an old one or a new one, whole.
     */
    private static final Day[] DAYS = new Day[64];

    private InstantText() {}

    public static String of(Instant instant) {
        byte[] text = new byte[MAX_LENGTH];
        int end = write(instant, text, 0);
        return end < 0 ? instant.toString() : new String(text, 0, end, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the ASCII bytes of {@code instant.toString()} into {@code text} from {@code at} (which must have
     * {@link #MAX_LENGTH} bytes free) and returns where they end; -1, writing nothing, outside the years 1 to 9999.
     */
    public static int write(Instant instant, byte[] text, int at) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST || seconds >= END) {
            return -1;
        }
        long epochDay = Math.floorDiv(seconds, 86_400);
        int slot = (int) epochDay & (DAYS.length - 1);
        Day day = DAYS[slot];
        if (day == null || day.epochDay != epochDay) {
            day = new Day(epochDay);
            DAYS[slot] = day;
        }
        System.arraycopy(day.text, 0, text, at, 10);
        int secondOfDay = (int) (seconds - epochDay * 86_400);
        text[at + 10] = 'T';
        digits(text, at + 11, secondOfDay / 3600, 2);
        text[at + 13] = ':';
        digits(text, at + 14, secondOfDay / 60 % 60, 2);
        text[at + 16] = ':';
        digits(text, at + 17, secondOfDay % 60, 2);
        at += 19;
        int nano = instant.getNano();
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
        return at;
    }

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** A day since the epoch and its {@code yyyy-MM-dd}. */
    private static final class Day {
        final long epochDay;
        final byte[] text = new byte[10];

        Day(long epochDay) {
            this.epochDay = epochDay;
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            digits(text, 0, date.getYear(), 4);
            text[4] = '-';
            digits(text, 5, date.getMonthValue(), 2);
            text[7] = '-';
            digits(text, 8, date.getDayOfMonth(), 2);
        }
    }
}
