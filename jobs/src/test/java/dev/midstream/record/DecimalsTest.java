package dev.midstream.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

class DecimalsTest {

    @ParameterizedTest(name = "{0} has places beyond {1}: {2}")
    @CsvSource({
            "12.5, 3, false",
            "12.500, 3, false",
            "12.50000000, 3, false",
            "1250E-2, 3, false",
            "12.5005, 3, true",
            "12.0005, 3, true",
            "12.50001, 3, true",
            "7, 0, false",
            "7.000, 0, false",
            "7.001, 0, true",
            "1E+3, 0, false",
            "0.000, 0, false",
            "-3.10, 1, false",
            "-3.11, 1, true",
            "10, -1, false",
            "15, -1, true"})
    void countsOnlyNonZeroPlacesAgainstTheScale(String text, int scale, boolean beyond) {
        BigDecimal value = new BigDecimal(text);
        assertEquals(beyond, Decimals.hasPlacesBeyond(value, scale));
        assertEquals(value.stripTrailingZeros().scale() > scale, beyond, "agrees with stripping every value");
    }

    @Test
    void takesTheUnscaledValueOfACompactDecimal() {
        assertEquals(12500L, Decimals.unscaledLong(new BigDecimal("12.500")));
        assertEquals(-31L, Decimals.unscaledLong(new BigDecimal("-3.1")));
    }
}
