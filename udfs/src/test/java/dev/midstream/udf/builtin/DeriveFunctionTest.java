package dev.midstream.udf.builtin;

import static dev.midstream.udf.builtin.FunctionHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

class DeriveFunctionTest {
    private final DeriveFunction derive = new DeriveFunction();
    private final Record person = new Record().set("first", "Ada").set("last", "Lovelace").set("n", new BigDecimal("2.50"));

    @Test
    void fromATemplate() throws Exception {
        Record out = apply(derive, Map.of("field", "name", "template", "{first} {last} ({n})"), person).get(0);
        assertEquals("Ada Lovelace (2.50)", out.getString("name"));
    }

    @Test
    void fromAnExpression() throws Exception {
        Record out = apply(derive, Map.of("field", "meta.initials", "expression", "concat(first, last)"), person).get(0);
        assertEquals("AdaLovelace", out.getString("meta.initials"));
    }

    @Test
    void aMissingPlaceholderRejectsUnlessAskedToBeEmpty() throws Exception {
        Exception e = rejected(derive, Map.of("field", "x", "template", "{first} {middle}"), person);
        assertEquals("template field 'middle' has no value", e.getMessage());
        Record out = apply(derive, Map.of("field", "x", "template", "{first}{middle}", "missing", "empty"), person).get(0);
        assertEquals("Ada", out.getString("x"));
    }

    @Test
    void refusesBadParameters() {
        assertEquals("field", badParameters(derive, Map.of("template", "x")).parameter());
        assertEquals("give exactly one of 'expression' and 'template'",
                badParameters(derive, Map.of("field", "x")).getMessage());
        assertEquals("template", badParameters(derive, Map.of("field", "x", "template", "a", "expression", "b")).parameter());
        assertEquals("'template': '{' at offset 2 is not closed",
                badParameters(derive, Map.of("field", "x", "template", "a {b")).getMessage());
        assertEquals("'template': '{B C}' is not a field path",
                badParameters(derive, Map.of("field", "x", "template", "{B C}")).getMessage());
        assertEquals("expression", badParameters(derive, Map.of("field", "x", "expression", "a +")).parameter());
        assertEquals("missing", badParameters(derive, Map.of("field", "x", "template", "a", "missing", "skip")).parameter());
        assertEquals("fild", badParameters(derive, Map.of("fild", "x", "template", "a")).parameter());
    }
}
