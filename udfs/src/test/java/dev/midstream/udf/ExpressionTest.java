package dev.midstream.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

class ExpressionTest {
    private final Record r = new Record().set("a", 2L).set("b", new BigDecimal("3.5")).set("s", " Hi ")
            .set("t", Instant.parse("2024-01-01T00:00:00Z")).set("place.city", "Rome");

    private Object eval(String text) {
        return Expression.parse(text).evaluate(r);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
            "a + b * 2                          ; 9.0",
            "(a + b) * 2                        ; 11.0",
            "-a + 1                             ; -1",
            "b / 2                              ; 1.75",
            "a == 2 && b > 3 || false           ; true",
            "!(a == 2)                          ; false",
            "a != 2 || !false                   ; true",
            "upper(trim(s))                     ; HI",
            "lower(s)                           ; \" hi \"",
            "length(trim(s))                    ; 2",
            "scale(b)                           ; 1",
            "scale(a * 100)                     ; 0",
            "scale(1.2300)                      ; 2",
            "concat(place.city, '-', a)         ; Rome-2",
            "coalesce(missing, place.city)      ; Rome",
            "'it''s'                            ; it's",
            "t >= '2024-01-01T00:00:00Z'        ; true",
            "t < '2023-12-31T00:00:00Z'         ; false",
            "s > 'A'                            ; false",
            "missing == null                    ; true",
            "missing != null                    ; false",
            "missing > 1                        ; false"})
    void evaluates(String text, String expected) {
        assertEquals(expected, String.valueOf(eval(text)));
    }

    @Test
    void arithmeticWithNullIsNull() {
        assertNull(eval("missing + 1"));
        assertNull(eval("upper(missing)"));
    }

    @Test
    void testNeedsACondition() {
        assertTrue(Expression.parse("a == 2").test(r));
        ExpressionException e = assertThrows(ExpressionException.class, () -> Expression.parse("a + 1").test(r));
        assertEquals("'a + 1' is not a condition: it gives bigdecimal", e.getMessage());
    }

    @Test
    void typeErrorsAtEvaluationSayWhat() {
        assertEquals("cannot compare string with long using <",
                assertThrows(ExpressionException.class, () -> eval("s < a")).getMessage());
        assertEquals("* needs a number, got string",
                assertThrows(ExpressionException.class, () -> eval("s * 2")).getMessage());
        assertEquals("division by zero", assertThrows(ExpressionException.class, () -> eval("a / 0")).getMessage());
        assertEquals("&& needs true or false, got long",
                assertThrows(ExpressionException.class, () -> eval("a && true")).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a > > 1         | 4  | unexpected '>'",
            "a ==            | 4  | expression ends too early",
            "shout(a)        | 0  | unknown function 'shout'",
            "upper(a, b)     | 0  | upper() takes exactly one argument",
            "concat()        | 0  | concat() takes at least one argument",
            "(a + 1          | 6  | expected ')' at the end",
            "'open           | 0  | string is not closed with '",
            "a = 1           | 2  | unexpected '='",
            "1.2.3           | 0  | '1.2.3' is not a number",
            "place.          | 0  | 'place.' is not a field path"})
    void parseErrorsPointAtTheProblem(String text, int offset, String message) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> Expression.parse(text));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(offset, e.offset());
    }

    @Test
    void listsTheFieldsItReads() {
        assertEquals(List.of("a", "place.city", "b"), Expression.parse("a > 1 && concat(place.city) == 'x' || b < 2").fields());
        assertFalse(Expression.parse("1 == 1").fields().iterator().hasNext());
    }

    @Test
    void aRepeatedSubexpressionIsComputedOncePerRecord() {
        Expression currencyScale = Expression.parse("scale(amount) == 0"
                + " || (scale(amount) <= 2 && upper(trim(currency)) != 'JPY' && upper(trim(currency)) != 'KRW')"
                + " || (scale(amount) <= 3 && upper(trim(currency)) == 'KWD')");
        assertEquals(2, currencyScale.sharedSubexpressions()); // scale(amount), upper(trim(currency)); not trim inside it
        assertEquals(0, Expression.parse("a > 1 && a < 9 && upper(s) != lower(s)").sharedSubexpressions());

        // The same expression object, record after record: a result never carries over to the next record.
        assertTrue(currencyScale.test(new Record().set("amount", new BigDecimal("12.50")).set("currency", " eur")));
        assertFalse(currencyScale.test(new Record().set("amount", new BigDecimal("12.5")).set("currency", "jpy ")));
        assertTrue(currencyScale.test(new Record().set("amount", new BigDecimal("1.125")).set("currency", "KWD")));
        assertFalse(currencyScale.test(new Record().set("amount", new BigDecimal("1.125")).set("currency", "EUR")));
        assertTrue(currencyScale.test(new Record().set("amount", new BigDecimal("700")).set("currency", "JPY")));
    }

    @Test
    void aSharedResultMayBeNullOrAnError() {
        assertEquals(true, Expression.parse("upper(missing) == null && upper(missing) == null").evaluate(r));
        assertEquals("Rome-Rome", Expression.parse("concat(coalesce(x, place.city), '-', coalesce(x, place.city))")
                .evaluate(r));
        assertEquals("* needs a number, got string", assertThrows(ExpressionException.class,
                () -> eval("s * 2 > 1 || s * 2 < 1")).getMessage());
    }

    @Test
    void comparesWholeNumbersWithoutDecimals() {
        assertEquals(true, eval("a == 2 && a < 3 && a >= 2 && 9223372036854775807 > a"));
        assertEquals(false, eval("a == 3 || a > 2"));
        assertEquals(true, eval("a == 2.0 && a < 2.5"));
    }
}
