package dev.midstream.udf.builtin;

import static dev.midstream.udf.builtin.FunctionHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

class ClassifyFunctionTest {
    private final ClassifyFunction classify = new ClassifyFunction();
    private final Map<String, Object> params = Map.of("field", "amount", "into", "size", "otherwise", "large",
            "classes", List.of(Map.of("below", 10L, "label", "small"), Map.of("below", new BigDecimal("100.5"), "label", "medium")));

    private String label(Object amount) throws Exception {
        return apply(classify, params, new Record().set("amount", amount)).get(0).getString("size");
    }

    @Test
    void labelsByRange() throws Exception {
        assertEquals("small", label(9L));
        assertEquals("medium", label(10L), "'below' is exclusive");
        assertEquals("medium", label(new BigDecimal("100.49")));
        assertEquals("large", label(new BigDecimal("100.5")));
    }

    @Test
    void anAbsentValueGetsWhenNullIfGiven() throws Exception {
        assertNull(apply(classify, params, new Record()).get(0).get("size"));
        Map<String, Object> withNull = new java.util.HashMap<>(params);
        withNull.put("when_null", "unknown");
        assertEquals("unknown", apply(classify, withNull, new Record()).get(0).getString("size"));
    }

    @Test
    void aNonNumberRejects() {
        rejected(classify, params, new Record().set("amount", "ten"));
    }

    @Test
    void refusesBadParameters() {
        assertEquals("'classes' must be in ascending order of 'below'", badParameters(classify, Map.of("field", "a",
                "into", "b", "otherwise", "c", "classes", List.of(Map.of("below", 5L, "label", "x"),
                        Map.of("below", 5L, "label", "y")))).getMessage());
        assertEquals("classes", badParameters(classify, Map.of("field", "a", "into", "b", "otherwise", "c",
                "classes", List.of())).parameter());
        assertEquals("classes", badParameters(classify, Map.of("field", "a", "into", "b", "otherwise", "c",
                "classes", List.of("x"))).parameter());
        assertEquals("'classes': 'below' must be a number, got 'low'", badParameters(classify, Map.of("field", "a",
                "into", "b", "otherwise", "c", "classes", List.of(Map.of("below", "low", "label", "x")))).getMessage());
        assertEquals("otherwise", badParameters(classify, Map.of("field", "a", "into", "b",
                "classes", List.of(Map.of("below", 1L, "label", "x")))).parameter());
    }
}
