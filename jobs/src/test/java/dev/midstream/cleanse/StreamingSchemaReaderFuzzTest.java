package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.model.FieldType.Kind;
import dev.midstream.source.RawRecord;
import dev.midstream.udf.Record;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided differential fuzzing of the streaming reader against the tree path it stands in for. The
 * inputs are hand-written JSON (declared, undeclared and nested fields of every JSON type, duplicate names,
 * blanks, control characters, numbers no BigDecimal holds, trailing tokens) or raw bytes. The invariant: whenever
 * the streaming reader takes a record, the tree path takes the same document without a violation or an undeclared
 * field it would count, and reads the same record, field for field, in the same order. Runs in a JVM of its own
 * (see the pom).
 */
class StreamingSchemaReaderFuzzTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final List<FieldSpec> SCHEMA = List.of(
            field("id", FieldType.of(Kind.STRING), true, null, 8),
            field("note", FieldType.of(Kind.STRING), false, "none", null),
            field("count", FieldType.of(Kind.LONG), false, null, null),
            field("amount", FieldType.decimal(7, 2), true, null, null),
            field("paid", FieldType.of(Kind.BOOLEAN), false, Boolean.FALSE, null),
            field("at", FieldType.of(Kind.TIMESTAMP), true, null, null),
            field("address", FieldType.object(List.of(
                    field("city", FieldType.of(Kind.STRING), true, null, 12),
                    field("zip", FieldType.of(Kind.LONG), false, null, null))), false, null, null),
            field("tags", FieldType.array(FieldType.of(Kind.STRING)), false, null, null),
            field("lines", FieldType.array(FieldType.object(List.of(
                    field("sku", FieldType.of(Kind.STRING), true, null, null),
                    field("qty", FieldType.decimal(5, 0), false, null, null)))), false, null, null));
    private static final String[] NAMES = {"id", "note", "count", "amount", "paid", "at", "address", "tags", "lines",
            "city", "zip", "sku", "qty", "extra", "ID", "id "};
    private static final String[] STRINGS = {"A-1", " A-2 ", "", "  ", "\\t", "\\u0001", "\\ud800", "\\ud83d\\ude00",
            "toolong-id-123", "Zürich", "2026-11-01T10:00:00+08:00", "2026-11-01 10:00:00", "2026-11-01T10:00:00.5Z",
            "2026-02-30T10:00:00", "1700000000000", "yesterday", "12.50", "true"};
    private static final String[] NUMBERS = {"0", "-0", "12", "12.5", "12.345", "1e2", "1.50E+1", "99999.99",
            "100000", "-3", "9223372036854775807", "9223372036854775808", "12345678901234567890", "9999E94999999999",
            "1E400", "0.000", "1700000000000", "01", "1.", "-"};

    private static final RawJsonReader TREE = new RawJsonReader(64 * 1024);
    private static final StreamingSchemaReader IGNORING =
            new StreamingSchemaReader(TREE.factory(), ZONE, SCHEMA, true);
    private static final StreamingSchemaReader COUNTING =
            new StreamingSchemaReader(TREE.factory(), ZONE, SCHEMA, false);

    @FuzzTest(maxDuration = "15s")
    void takesOnlyWhatTheTreeTakesAsItIs(FuzzedDataProvider data) {
        boolean ignoring = data.consumeBoolean();
        byte[] json = data.consumeBoolean()
                ? (object(data, 0) + (data.consumeBoolean() ? data.consumeString(3) : "")).getBytes(StandardCharsets.UTF_8)
                : data.consumeRemainingAsBytes();
        Record fast = (ignoring ? IGNORING : COUNTING).read(json);
        if (fast == null) {
            return;
        }
        RawJsonReader.Result parsed = TREE.read(new RawRecord("fuzz", 0, 0L, 0L, json));
        String input = new String(json, StandardCharsets.UTF_8);
        assertTrue(parsed.ok(), () -> "the tree refuses (" + parsed.reason() + ") what streaming took: " + input);
        SchemaReader tree = new SchemaReader(ZONE, !ignoring);
        Record slow = tree.read(parsed.object(), SCHEMA);
        assertEquals(List.of(), tree.violations(), () -> "violations in what streaming took: " + input);
        assertEquals(List.of(), tree.unknown(), () -> "undeclared fields in what streaming took: " + input);
        assertEquals(slow, fast, input);
        assertEquals(paths(slow, ""), paths(fast, ""), () -> "field order: " + input);
    }

    private static String object(FuzzedDataProvider data, int depth) {
        StringBuilder s = new StringBuilder("{");
        int fields = data.consumeInt(0, 10);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                s.append(',');
            }
            String name = data.consumeInt(0, 9) == 0 ? data.consumeString(4) : data.pickValue(NAMES);
            s.append('"').append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append("\":").append(value(data, depth));
        }
        return s.append('}').toString();
    }

    private static String value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, 9)) {
            case 0, 1:
                return '"' + data.pickValue(STRINGS) + '"';
            case 2, 3:
                return data.pickValue(NUMBERS);
            case 4:
                return data.pickValue(new String[] {"true", "false", "null"});
            case 5, 6: {
                if (depth > 2) {
                    return "{}";
                }
                return object(data, depth + 1);
            }
            case 7: {
                StringBuilder s = new StringBuilder("[");
                int items = depth > 2 ? 0 : data.consumeInt(0, 4);
                for (int i = 0; i < items; i++) {
                    s.append(i > 0 ? "," : "").append(value(data, depth + 1));
                }
                return s.append(']').toString();
            }
            case 8:
                return '"' + data.consumeString(12).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            default:
                return data.consumeString(6);
        }
    }

    /** Every field's path, nested records and lists included, in order. */
    private static List<String> paths(Object value, String prefix) {
        List<String> paths = new ArrayList<>();
        if (value instanceof Record r) {
            for (String name : r.fieldNames()) {
                paths.add(prefix + name);
                paths.addAll(paths(r.get(name), prefix + name + "."));
            }
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                paths.addAll(paths(items.get(i), prefix + i + "."));
            }
        }
        return paths;
    }

    private static FieldSpec field(String name, FieldType type, boolean required, Object defaultValue, Integer maxLength) {
        return new FieldSpec(name, type, required, defaultValue, maxLength, null);
    }
}
