package dev.midstream.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    @Test
    void fieldsKeepTheirFirstPlaceAndARemovalClosesTheGap() {
        Record r = new Record().set("a", "1").set("b", "2").set("c", "3");
        r.set("a", "again");
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(r.fieldNames()));
        r.remove("b");
        assertEquals(List.of("a", "c"), new ArrayList<>(r.fieldNames()));
        assertEquals("again", r.get("a"));
        assertEquals("3", r.get("c"));
        assertEquals(2, r.size());
        assertEquals(Map.of("a", "again", "c", "3"), r.asMap());
    }

    @Test
    void forEachVisitsEveryTopLevelFieldInOrder() {
        Record r = new Record().set("b", "1").set("a.x", 2L).set("c", true);
        List<String> seen = new ArrayList<>();
        r.forEach((name, value) -> seen.add(name + "=" + (value instanceof Record ? "record" : value)));
        assertEquals(List.of("b=1", "a=record", "c=true"), seen);
    }

    @Test
    void aNameFindsItsFieldWhicheverStringInstanceSpellsIt() {
        Record r = new Record().set("amount", 5L);
        assertEquals(5L, r.get(new String("amount".toCharArray())));
        assertTrue(r.fieldNames().contains(new String("amount".toCharArray())));
        assertNull(r.get("amounts"));
    }

    @Test
    void wideRecordsFindEveryFieldAfterAddsAndRemovals() {
        Record r = new Record();
        for (int i = 0; i < 100; i++) {
            r.set("f" + i, (long) i);
        }
        for (int i = 0; i < 100; i += 3) {
            r.remove("f" + i);
        }
        r.set("late", "x");
        for (int i = 0; i < 100; i++) {
            assertEquals(i % 3 == 0 ? null : (Long) (long) i, r.get(new String(("f" + i).toCharArray())), "f" + i);
        }
        assertEquals("x", r.get("late"));
        assertEquals(67, r.size());
        assertEquals("f1", r.fieldNames().iterator().next());
    }

    @Test
    void equalRecordsHoldTheSameFieldsInAnyOrderAndHashAsTheirMapsDo() {
        Record ab = new Record().set("a", "1").set("b.c", 2L);
        Record ba = new Record().set("b.c", 2L).set("a", "1");
        assertEquals(ab, ba);
        assertEquals(ab.hashCode(), ba.hashCode());
        assertEquals(new HashMap<>(ab.asMap()).hashCode() + 31, ab.hashCode());
        assertNotEquals(ab, new Record().set("a", "1").set("b.c", 3L));
        assertNotEquals(ab, new Record().set("a", "1"));
    }

    @Test
    void theMapViewIsReadOnlyAndFollowsTheRecord() {
        Record r = new Record().set("a", "1");
        Map<String, Object> view = r.asMap();
        assertThrows(UnsupportedOperationException.class, () -> view.put("b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> r.fieldNames().remove("a"));
        r.set("b", "2");
        assertEquals(Map.of("a", "1", "b", "2"), view);
        assertEquals("2", view.get("b"));
        assertFalse(view.containsKey("c"));
    }

    @Test
    void positionsFollowTheOrderOfTheFields() {
        Record r = new Record(1).set("a", "1").set("b", 2L).set("c", true);
        r.remove("a");
        r.set("a", "again");
        assertEquals(List.of("b", "c", "a"), List.of(r.nameAt(0), r.nameAt(1), r.nameAt(2)));
        assertEquals(List.of(2L, true, "again"), List.of(r.valueAt(0), r.valueAt(1), r.valueAt(2)));
        assertThrows(IndexOutOfBoundsException.class, () -> r.valueAt(3));
        assertThrows(IndexOutOfBoundsException.class, () -> r.nameAt(-1));
    }

    @Test
    void aCopyChangesIndependentlyOfItsOriginal() {
        Record original = new Record().set("a", "1").set("b", "2");
        Record copy = original.copy();
        copy.set("c", "3").remove("a");
        assertEquals(List.of("a", "b"), new ArrayList<>(original.fieldNames()));
        assertEquals(List.of("b", "c"), new ArrayList<>(copy.fieldNames()));
        assertEquals("1", original.get("a"));
    }
}
