package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

class EnumValuesTest {
    private static final List<List<String>> ALLOWED = List.of(
            List.of("CHF", "CNY", "EUR", "GBP", "JPY", "KRW", "KWD", "USD"),
            List.of("created", "paid", "shipped", "delivered", "cancelled", "refunded", ""),
            List.of("Zürich", "Genève", "Basel"),
            IntStream.range(0, 40).mapToObj(i -> "v" + i).toList());
    private static final String[] PIECES = {"usd", "USD", "Usd", "krw", "\u212Arw", "K", "k", "paid", "PAID", "pAiD",
        "Zürich", "ZÜRICH", "zürich", "basel", "BASEL", "v7", "V7", "v39", " ", "\t", "\n", "\u2003", "\u00a0", "\u0130",
        "i\u0307", "ß", "SS", "\uD83D\uDE00", "\uD800", "", "x", "-"};

    /** What the rule answered before: the stripped value, lower-cased with ignore_case, in a set. */
    private static boolean reference(List<String> allowed, boolean ignoreCase, String value) {
        String text = value.strip();
        return allowed.stream().map(v -> ignoreCase ? v.toLowerCase(Locale.ROOT) : v).toList()
                .contains(ignoreCase ? text.toLowerCase(Locale.ROOT) : text);
    }

    @Test
    void answersAsTheStrippedLowerCasedLookupForRandomValues() {
        Random random = new Random(8);
        for (List<String> allowed : ALLOWED) {
            for (boolean ignoreCase : new boolean[] {true, false}) {
                EnumValues values = new EnumValues(allowed, ignoreCase);
                for (int i = 0; i < 50_000; i++) {
                    StringBuilder value = new StringBuilder();
                    for (int n = random.nextInt(4); n >= 0; n--) {
                        value.append(PIECES[random.nextInt(PIECES.length)]);
                    }
                    String v = value.toString();
                    assertEquals(reference(allowed, ignoreCase, v), values.contains(v),
                            () -> allowed + (ignoreCase ? " ignoring case: '" : ": '") + v + "'");
                }
            }
        }
    }

    @Test
    void theKelvinSignLowerCasesToAnAsciiK() {
        EnumValues currencies = new EnumValues(ALLOWED.get(0), true);
        assertTrue(currencies.contains(" \u212ARW "), "as toLowerCase(Locale.ROOT) has it");
        assertTrue(currencies.contains("\tusd\u2003"));
        assertFalse(currencies.contains("usd\u00a0"), "a no-break space is not stripped");
        assertFalse(new EnumValues(ALLOWED.get(0), false).contains("usd"));
    }
}
