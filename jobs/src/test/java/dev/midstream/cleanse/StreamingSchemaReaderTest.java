package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.source.RawRecord;
import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;
import dev.midstream.udf.Record;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The streaming reader against the tree path on the orders file: it takes every messy order the tree reads without
 * a violation, as the same record, and leaves to the tree every document the tree refuses or phrases a violation
 * for. (That it never takes more than the tree does is fuzzed in {@link StreamingSchemaReaderFuzzTest}.)
 */
class StreamingSchemaReaderTest {
    private static final RawJsonReader TREE = new RawJsonReader(64 * 1024);
    private static final StreamingSchemaReader STREAMING =
            new StreamingSchemaReader(TREE.factory(), Fixtures.LOCAL_ZONE, Fixtures.ORDERS.schema(), true);

    @Test
    void takesEveryOrderTheTreeReadsCleanlyAsTheSameRecord() {
        MessyOrderGenerator generator = new MessyOrderGenerator(11, "S", Fixtures.LOCAL_ZONE, 70 * 1024);
        int clean = 0;
        int leftToTheTree = 0;
        for (GeneratedEvent event : generator.next(3000)) {
            if (event.value() == null || event.value().length > 64 * 1024) {
                continue;
            }
            Record fast = STREAMING.read(event.value());
            RawJsonReader.Result parsed = TREE.read(new RawRecord("ods.orders", 0, 0L, 0L, event.value()));
            SchemaReader schema = new SchemaReader(Fixtures.LOCAL_ZONE);
            Record slow = parsed.ok() ? schema.read(parsed.object(), Fixtures.ORDERS.schema()) : null;
            if (slow != null && schema.violations().isEmpty()) {
                assertEquals(slow, fast, new String(event.value(), StandardCharsets.UTF_8));
                assertEquals(List.copyOf(slow.fieldNames()), List.copyOf(fast.fieldNames()));
                clean++;
            } else {
                assertNull(fast, new String(event.value(), StandardCharsets.UTF_8));
                leftToTheTree++;
            }
        }
        assertTrue(clean > 2500 && leftToTheTree > 100, clean + " clean, " + leftToTheTree + " left to the tree");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"order_id\":\"A-1\",\"order_id\":\"A-2\"}",
            "{\"x\":{\"y\":1,\"y\":2}}",
            "{\"x\":9999E94999999999}",
            "{\"x\":[1,{\"a\":1e99999999999}]}",
            "{} {}",
            "{}]",
            "[{}]",
            "\"text\"",
            "",
            "{\"amount\":12.5"})
    void leavesToTheTreeWhatItRefuses(String json) {
        RawJsonReader.Result parsed = TREE.read(new RawRecord("ods.orders", 0, 0L, 0L,
                json.getBytes(StandardCharsets.UTF_8)));
        assertFalse(parsed.ok(), "the tree refuses it: " + json);
        assertNull(STREAMING.read(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    @Test
    void leavesToTheTreeBadUtf8InAnUndeclaredField() {
        byte[] json = Fixtures.VALID.replace("}", ",\"x\":\"ab\"}").getBytes(StandardCharsets.UTF_8);
        assertNotNull(STREAMING.read(json), "the valid order with an undeclared field");
        json[json.length - 4] = (byte) 0xC3; // a lead byte followed by 'b', not a continuation byte
        assertFalse(TREE.read(new RawRecord("ods.orders", 0, 0L, 0L, json)).ok());
        assertNull(STREAMING.read(json));
    }

    @Test
    void leavesUndeclaredFieldsToTheTreeWhenTheyAreCounted() {
        StreamingSchemaReader counting =
                new StreamingSchemaReader(TREE.factory(), Fixtures.LOCAL_ZONE, Fixtures.ORDERS.schema(), false);
        assertNotNull(counting.read(Fixtures.VALID.getBytes(StandardCharsets.UTF_8)));
        assertNull(counting.read(Fixtures.VALID.replace("}", ",\"x\":1}").getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            ",\"order_id\":\"A-2\"}",
            ",\"x\":1,\"x\":2}",
            ",\"x\":{\"y\":1,\"y\":2}}",
            ",\"x\":[1,{\"y\":{},\"y\":[]}]}",
            ",\"x\":{\"a\":{\"y\":1},\"y\":{\"y\":2},\"a\":3}}"})
    void leavesToTheTreeAValidOrderThatRepeatsAName(String tail) {
        String json = Fixtures.VALID.substring(0, Fixtures.VALID.lastIndexOf('}')) + tail;
        assertFalse(TREE.read(new RawRecord("ods.orders", 0, 0L, 0L, json.getBytes(StandardCharsets.UTF_8))).ok(),
                "the tree refuses it: " + json);
        assertNull(STREAMING.read(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    @Test
    void leavesToTheTreeADeclaredNameRepeatedAfterANull() {
        String json = Fixtures.VALID.replaceFirst("\\{", "{\"order_id\":null,");
        assertFalse(TREE.read(new RawRecord("ods.orders", 0, 0L, 0L, json.getBytes(StandardCharsets.UTF_8))).ok());
        assertNull(STREAMING.read(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    @Test
    void takesTheSameNameInDifferentObjects() {
        String json = Fixtures.VALID.substring(0, Fixtures.VALID.lastIndexOf('}'))
                + ",\"x\":{\"y\":1,\"z\":{\"y\":2}},\"w\":[{\"y\":1},{\"y\":2}],\"y\":3}";
        assertNotNull(STREAMING.read(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.5", "12.500", "12.50000000", "1250E-2", "12.5005", "12.50001", "12.0005"})
    void bothReadersCountOnlyNonZeroPlacesAgainstTheScale(String amount) {
        String json = Fixtures.VALID.replace("\"amount\":12.5", "\"amount\":" + amount);
        int scale = Fixtures.ORDERS.schema().stream().filter(f -> f.name().equals("amount")).findFirst()
                .orElseThrow().type().scale();
        assertEquals(3, scale, "the cases below are for the orders file's decimal(15,3)");
        boolean fits = new BigDecimal(amount).stripTrailingZeros().scale() <= scale;
        RawJsonReader.Result parsed = TREE.read(new RawRecord("ods.orders", 0, 0L, 0L,
                json.getBytes(StandardCharsets.UTF_8)));
        SchemaReader tree = new SchemaReader(Fixtures.LOCAL_ZONE);
        Record slow = tree.read(parsed.object(), Fixtures.ORDERS.schema());
        Record fast = STREAMING.read(json.getBytes(StandardCharsets.UTF_8));
        if (fits) {
            assertEquals(List.of(), tree.violations(), json);
            assertEquals(new BigDecimal("12.500"), slow.get("amount"), json);
            assertEquals(new BigDecimal("12.500"), fast.get("amount"), json);
        } else {
            assertEquals(1, tree.violations().size(), json);
            assertNull(fast, json);
        }
    }

    @Test
    void findsEachFieldWhateverTheOrderAndSpellingOfItsName() {
        StreamingSchemaReader reader =
                new StreamingSchemaReader(TREE.factory(), Fixtures.LOCAL_ZONE, Fixtures.ORDERS.schema(), true);
        List<String> fields = new ArrayList<>(List.of(
                Fixtures.VALID.substring(1, Fixtures.VALID.length() - 1).split(",(?=\")")));
        Collections.reverse(fields);
        String reversed = "{" + String.join(",", fields) + "}";
        String escaped = Fixtures.VALID.replace("\"order_id\"", "\"order\\u005fid\"")
                .replace("\"amount\"", "\"\\u0061mount\"");
        String nearMisses = Fixtures.VALID.replace("{", "{\"order_i\":1,\"order_idx\":2,\"ORDER_ID\":3,")
                .replace(",\"amount\"", ",\"amoun\":4,\"amount \":5,\"amount\"");
        // One reader, orders alternating, so its guess of the next name is wrong as often as right.
        for (String json : List.of(Fixtures.VALID, reversed, Fixtures.VALID, escaped, nearMisses, reversed, escaped)) {
            assertEquals(9, assertReadsAsTheTree(reader, json).size(), json);
        }
    }

    /** The record {@code reader} reads from an order, after checking it is the tree's, fields in the same order. */
    private static Record assertReadsAsTheTree(StreamingSchemaReader reader, String json) {
        RawJsonReader.Result parsed = TREE.read(new RawRecord("ods.orders", 0, 0L, 0L,
                json.getBytes(StandardCharsets.UTF_8)));
        Record slow = new SchemaReader(Fixtures.LOCAL_ZONE).read(parsed.object(), Fixtures.ORDERS.schema());
        Record fast = reader.read(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(slow, fast, json);
        assertEquals(List.copyOf(slow.fieldNames()), List.copyOf(fast.fieldNames()), json);
        return fast;
    }

    @Test
    void readsAnObjectThatDeclaresNoFieldsAsTheTreeDoes() {
        List<FieldSpec> schema = List.of(
                new FieldSpec("id", FieldType.of(FieldType.Kind.STRING), true, null, null, null),
                new FieldSpec("meta", FieldType.object(List.of()), false, null, null, null));
        StreamingSchemaReader reader = new StreamingSchemaReader(TREE.factory(), Fixtures.LOCAL_ZONE, schema, true);
        for (String json : List.of("{\"id\":\"a\",\"meta\":{}}", "{\"id\":\"a\",\"meta\":{\"\":1,\"x\":2}}",
                "{\"meta\":{},\"id\":\"a\"}")) {
            RawJsonReader.Result parsed = TREE.read(new RawRecord("t", 0, 0L, 0L, json.getBytes(StandardCharsets.UTF_8)));
            SchemaReader tree = new SchemaReader(Fixtures.LOCAL_ZONE);
            Record slow = tree.read(parsed.object(), schema);
            assertEquals(List.of(), tree.violations(), json);
            assertEquals(slow, reader.read(json.getBytes(StandardCharsets.UTF_8)), json);
        }
    }

    @Test
    void readsOrdersWhoseOptionalFieldsComeAndGoAsTheTreeDoes() {
        StreamingSchemaReader reader =
                new StreamingSchemaReader(TREE.factory(), Fixtures.LOCAL_ZONE, Fixtures.ORDERS.schema(), true);
        String noPhone = Fixtures.VALID.replaceFirst("\"customer_phone\":\"[^\"]*\",", "");
        String noChannel = Fixtures.VALID.replaceFirst("\"channel\":\"[^\"]*\",", "");
        String withNote = Fixtures.VALID.replace("{", "{\"note\":\"gift wrap\",");
        assertTrue(noPhone.length() < Fixtures.VALID.length() && noChannel.length() < Fixtures.VALID.length());
        for (String json : List.of(Fixtures.VALID, noPhone, noChannel, withNote, Fixtures.VALID, noChannel, noPhone,
                withNote, withNote)) {
            assertReadsAsTheTree(reader, json);
        }
    }
}
