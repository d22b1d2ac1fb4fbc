package dev.midstream.cleanse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.record.Decimals;
import dev.midstream.udf.Record;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a JSON object into a {@link Record} by a pipeline's declared schema: types, required fields,
 * defaults, string length and characters, decimal scale and precision, nested objects and arrays. Collects
 * every violation (rule {@code <field path>_<check>}, dots as '_'); fields the schema does not declare are
 * not copied.
 */
final class SchemaReader {
    private final ZoneId localZone;
    private final List<Violation> violations = new ArrayList<>(2);
    private final List<String> unknown;

    SchemaReader(ZoneId localZone) {
        this(localZone, false);
    }

    /** {@code trackUnknown}: also list the fields the record carries that the schema does not declare. */
    SchemaReader(ZoneId localZone, boolean trackUnknown) {
        this.localZone = localZone;
        this.unknown = trackUnknown ? new ArrayList<>(0) : null;
    }

    /** The undeclared fields of the record read, by path ({@code address.zip}), when tracked. */
    List<String> unknown() {
        return unknown == null ? List.of() : unknown;
    }

    Record read(JsonNode object, List<FieldSpec> schema) {
        return readObject(object, schema, "");
    }

    List<Violation> violations() {
        return violations;
    }

    private Record readObject(JsonNode object, List<FieldSpec> schema, String prefix) {
        if (unknown != null) {
            object.fieldNames().forEachRemaining(name -> {
                if (schema.stream().noneMatch(f -> f.name().equals(name))) {
                    unknown.add(prefix + name);
                }
            });
        }
        Record record = new Record(schema.size());
        for (FieldSpec field : schema) {
            String path = prefix + field.name();
            Object value = readField(object.get(field.name()), field, path);
            if (value != null) {
                record.set(field.name(), value);
            }
        }
        return record;
    }

    private Object readField(JsonNode node, FieldSpec field, String path) {
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isBlank()
                && field.type().kind() != FieldType.Kind.STRING)) {
            return absent(field, path, "is missing");
        }
        return readValue(node, field.type(), field, path);
    }

    private Object absent(FieldSpec field, String path, String what) {
        if (field.required()) {
            violation(path, "required", what);
        }
        return field.defaultValue();
    }

    private Object readValue(JsonNode node, FieldType type, FieldSpec field, String path) {
        switch (type.kind()) {
            case STRING: {
                if (!node.isTextual()) {
                    return wrongType(path, "a string", node);
                }
                String text = node.textValue();
                String trimmed = text.strip();
                if (trimmed.isEmpty()) {
                    return field == null ? text : absent(field, path, "is blank");
                }
                if (!printable(trimmed)) {
                    violation(path, "characters", "contains a control character or an unpaired surrogate");
                    return null;
                }
                if (field != null && field.maxLength() != null && trimmed.length() > field.maxLength()) {
                    violation(path, "max_length", "is " + trimmed.length() + " characters, at most "
                            + field.maxLength() + " allowed");
                    return null;
                }
                return text;
            }
            case LONG: {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    return wrongType(path, "a whole number", node);
                }
                return node.longValue();
            }
            case DECIMAL: {
                if (!node.isNumber()) {
                    return wrongType(path, "a number", node);
                }
                BigDecimal value = node.decimalValue();
                if (Decimals.hasPlacesBeyond(value, type.scale())) {
                    violation(path, "scale", "has more than " + type.scale() + " decimal places");
                    return null;
                }
                BigDecimal scaled = value.setScale(type.scale());
                if (scaled.precision() - scaled.scale() > type.precision() - type.scale()) {
                    // Out of the type's range: the same rule name as a range rule, so one name means "too big".
                    violation(path, "range", "does not fit " + type + ": at most " + (type.precision() - type.scale())
                            + " digits before the decimal point");
                    return null;
                }
                return scaled;
            }
            case BOOLEAN: {
                if (!node.isBoolean()) {
                    return wrongType(path, "true or false", node);
                }
                return node.booleanValue();
            }
            case TIMESTAMP: {
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return Instant.ofEpochMilli(node.longValue());
                }
                if (!node.isTextual()) {
                    return wrongType(path, "an ISO-8601 string or epoch milliseconds", node);
                }
                try {
                    return EventTimes.parse(node.textValue().strip(), localZone);
                } catch (DateTimeParseException e) {
                    violation(path, "format", "expected ISO-8601 (with or without offset) or epoch milliseconds");
                    return null;
                }
            }
            case OBJECT: {
                if (!node.isObject()) {
                    return wrongType(path, "an object", node);
                }
                return readObject(node, type.fields(), path + ".");
            }
            default: {
                if (!node.isArray()) {
                    return wrongType(path, "an array", node);
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    JsonNode item = node.get(i);
                    if (item == null || item.isNull()) {
                        violation(path, "items", "item " + i + " is null");
                        continue;
                    }
                    Object value = readValue(item, type.items(), null, path + "[" + i + "]");
                    if (value != null) {
                        items.add(value);
                    }
                }
                return items;
            }
        }
    }

    private Object wrongType(String path, String expected, JsonNode node) {
        violation(path, "type", "expected " + expected + ", got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        return null;
    }

    private void violation(String path, String check, String message) {
        String field = path.replaceAll("\\[\\d+]", "");
        violations.add(new Violation(field.replace('.', '_') + "_" + check, field, path + ": " + message));
    }

    /** No control character (C0, DEL, C1) and no unpaired surrogate: text a table and a terminal show as it is. */
    static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
