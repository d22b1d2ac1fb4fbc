package dev.midstream.udf.builtin;

import static dev.midstream.udf.builtin.FunctionHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class FlattenFunctionTest {
    private final FlattenFunction flatten = new FlattenFunction();

    private static Record order(List<Object> lines) {
        return new Record().set("order_id", "o1").set("lines", lines);
    }

    @Test
    void oneRowPerItemWithTheParentsFields() throws Exception {
        List<Record> rows = apply(flatten, Map.of("field", "lines", "prefix", "line_", "index", "line_no"), order(List.of(
                new Record().set("sku", "a").set("qty", 1L), new Record().set("sku", "b").set("qty", 2L))));
        assertEquals(2, rows.size());
        assertEquals(List.of("order_id", "line_sku", "line_qty", "line_no"), List.copyOf(rows.get(1).fieldNames()));
        assertEquals("b", rows.get(1).getString("line_sku"));
        assertEquals(1L, rows.get(1).getLong("line_no"));
        assertEquals("o1", rows.get(0).getString("order_id"));
    }

    @Test
    void anEmptyListRejectsOrKeepsTheParent() throws Exception {
        assertEquals("'lines' has no items to flatten", rejected(flatten, Map.of("field", "lines"), order(List.of())).getMessage());
        List<Record> kept = apply(flatten, Map.of("field", "lines", "on_empty", "keep"), order(List.of()));
        assertEquals(List.of("order_id"), List.copyOf(kept.get(0).fieldNames()));
    }

    @Test
    void itemsMustBeObjectsThatDoNotCollide() {
        assertEquals("item 0 of 'lines' is not an object",
                rejected(flatten, Map.of("field", "lines"), order(List.of("x"))).getMessage());
        assertEquals("item field 'order_id' collides with a field of the record; set 'prefix'",
                rejected(flatten, Map.of("field", "lines"), order(List.of(new Record().set("order_id", "x")))).getMessage());
    }

    @Test
    void refusesBadParameters() {
        assertEquals("field", badParameters(flatten, Map.of()).parameter());
        assertEquals("on_empty", badParameters(flatten, Map.of("field", "l", "on_empty", "drop")).parameter());
    }
}
