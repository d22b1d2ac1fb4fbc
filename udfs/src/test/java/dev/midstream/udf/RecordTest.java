package dev.midstream.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

class RecordTest {
    @Test
    void pathsReachIntoNestedRecordsAndCreateThemOnWrite() {
        Record r = new Record().set("address.city", "Rome");
        assertEquals("Rome", r.getString("address.city"));
        assertTrue(r.get("address") instanceof Record);
        assertNull(r.get("address.zip"));
        assertNull(r.get("nothing.here"));
        assertNull(new Record().set("id", "x").get("id.deeper"), "a path through a non-record is absent");
    }

    @Test
    void nullRemovesAndRemoveReturnsTheOldValue() {
        Record r = new Record().set("a", "1").set("b.c", 2L);
        r.set("a", null);
        assertFalse(r.has("a"));
        assertEquals(2L, r.remove("b.c"));
        assertNull(r.get("b.c"));
        r.set("x.y", null);
        assertFalse(r.has("x"), "setting null on a missing path creates nothing");
    }

    @Test
    void copiesAreDeep() {
        List<Object> tags = new ArrayList<>(List.of("a"));
        Record original = new Record().set("nested.v", "1").set("tags", tags);
        Record copy = original.copy();
        copy.set("nested.v", "2");
        copy.getList("tags").add("b");
        assertEquals("1", original.getString("nested.v"));
        assertEquals(List.of("a"), original.getList("tags"));
        assertEquals(original, original.copy());
    }

    @Test
    void onlySupportedValueTypesGoIn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Record().set("n", 3));
        assertTrue(e.getMessage().contains("field 'n': unsupported value type java.lang.Integer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Record().set("l", List.of(1.5)));
    }

    @Test
    void typedGettersNameTheFieldOnAMismatch() {
        Record r = new Record().set("n", 5L);
        assertEquals(new BigDecimal(5), r.getDecimal("n"), "a long reads as a decimal");
        FieldTypeException e = assertThrows(FieldTypeException.class, () -> r.getString("n"));
        assertEquals("field 'n': expected String, got Long", e.getMessage());
    }

    @Test
    void toStringShowsNamesNotValues() {
        assertEquals("Record[email]", new Record().set("email", "ada@example.com").toString());
    }
}
