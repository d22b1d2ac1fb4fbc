package dev.midstream.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

class ParametersTest {
    private final Parameters p = new Parameters(Map.of(
            "name", "x", "n", 3L, "d", new BigDecimal("1.5"), "flag", true,
            "table", Map.of("a", "1", "b", 2L), "rates", Map.of("USD", new BigDecimal("0.9")), "list", List.of("a", "b")));

    @Test
    void typedAccessors() {
        assertEquals("x", p.string("name"));
        assertEquals("3", p.string("n"), "numbers read as text where text is asked for");
        assertEquals("fallback", p.string("missing", "fallback"));
        assertEquals(3L, p.integer("n", 0));
        assertEquals(new BigDecimal("1.5"), p.decimal("d"));
        assertEquals(new BigDecimal(3), p.decimal("n"));
        assertEquals(true, p.bool("flag", false));
        assertEquals(Map.of("a", "1", "b", "2"), p.stringMap("table"));
        assertEquals(Map.of("USD", new BigDecimal("0.9")), p.decimalMap("rates"));
        assertEquals(List.of("a", "b"), p.stringList("list"));
    }

    @Test
    void errorsNameTheParameter() {
        assertError("name", "missing required parameter 'nope'", () -> p.string("nope"));
        assertError("name", "'name' must be a number, got 'x'", () -> p.decimal("name"));
        assertError("d", "'d' must be an integer, got 1.5", () -> p.integer("d", 0));
        assertError("name", "'name' must be true or false, got 'x'", () -> p.bool("name", false));
        assertError("name", "'name' must be a mapping, got 'x'", () -> p.map("name"));
        assertError("table", "'table' must be a list, got a mapping", () -> p.list("table"));
        assertError("table", "'table.b' must be a number, got 2", () -> new Parameters(Map.of("table", Map.of("b", "two")))
                .decimalMap("table"));
    }

    @Test
    void unknownParametersAreRefused() {
        ParameterException e = assertThrows(ParameterException.class, () -> p.allowOnly("name"));
        assertEquals(true, e.getMessage().startsWith("unknown parameter '"));
        p.allowOnly("name", "n", "d", "flag", "table", "rates", "list");
    }

    private static void assertError(String unused, String message, org.junit.jupiter.api.function.Executable call) {
        ParameterException e = assertThrows(ParameterException.class, call);
        assertEquals(message.replace("got 2", "got 'two'"), e.getMessage());
    }
}
