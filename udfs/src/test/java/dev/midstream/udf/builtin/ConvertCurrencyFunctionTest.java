package dev.midstream.udf.builtin;

import static dev.midstream.udf.builtin.FunctionHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

class ConvertCurrencyFunctionTest {
    private final ConvertCurrencyFunction convert = new ConvertCurrencyFunction();
    private final Map<String, Object> params = Map.of("amount", "amount", "currency", "ccy", "target", "EUR",
            "into", "amount_eur", "currency_into", "ccy_eur", "rates", Map.of("USD", new BigDecimal("0.925"), "JPY", new BigDecimal("0.0061")));

    private Record payment(String amount, String currency) {
        return new Record().set("amount", new BigDecimal(amount)).set("ccy", currency);
    }

    @Test
    void convertsAndRoundsHalfEven() throws Exception {
        Record out = apply(convert, params, payment("10.10", "usd")).get(0);
        assertEquals(new BigDecimal("9.34"), out.getDecimal("amount_eur"), "10.10 * 0.925 = 9.3425 -> 9.34");
        assertEquals("EUR", out.getString("ccy_eur"));
        assertEquals(new BigDecimal("10.10"), out.getDecimal("amount"));
    }

    @Test
    void theTargetCurrencyConvertsAtOne() throws Exception {
        assertEquals(new BigDecimal("5.00"), apply(convert, params, payment("5", "EUR")).get(0).getDecimal("amount_eur"));
    }

    @Test
    void anUnknownCurrencyRejects() {
        assertEquals("no rate for ccy 'CHF' to EUR", rejected(convert, params, payment("5", "CHF")).getMessage());
    }

    @Test
    void refusesBadParameters() {
        assertEquals("rates", badParameters(convert, Map.of("amount", "a", "currency", "c", "target", "EUR",
                "rates", Map.of("USD", new BigDecimal("-1")))).parameter());
        assertEquals("scale", badParameters(convert, Map.of("amount", "a", "currency", "c", "target", "EUR",
                "rates", Map.of(), "scale", 40L)).parameter());
        assertEquals("target", badParameters(convert, Map.of("amount", "a", "currency", "c", "rates", Map.of())).parameter());
        assertEquals("rates", badParameters(convert, Map.of("amount", "a", "currency", "c", "target", "EUR",
                "rates", Map.of("USD", "cheap"))).parameter());
    }
}
