package dev.midstream.cleanse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.record.Decimals;
import dev.midstream.udf.Record;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fast path of {@link RawJsonReader} + {@link SchemaReader} for a record that is clean: reads the declared
 * fields from Jackson's token stream straight into a {@link Record}, without building a tree. It answers only
 * where the tree path would take every value as it is. Anything else (malformed JSON, a value of the wrong type,
 * a blank required field, a length or scale too big, an undeclared field when they are counted or rejected)
 * returns null, and the caller reads the record the tree way, which gives the answer and its reason. So the tree
 * path stays the one definition of what a record means, and this class never has to phrase a violation.
 *
 * <p>Undeclared values are walked, not skipped: every string and number in them is decoded as the tree would,
 * so a document the tree refuses (bad UTF-8, an exponent no BigDecimal holds) is never taken here.
 */
final class StreamingSchemaReader {
    private static final Object REFUSED = new Object();
    /** A declared field that was present but absent in value (null or blank), so that a repeat is caught. */
    private static final Object SEEN_ABSENT = new Object();

    private final JsonFactory factory;
    private final ZoneId localZone;
    private final boolean undeclaredIgnored;
    private final ObjectShape root;

    /**
     * {@code factory}: the tree path's, so both parse with the same features (duplicate names are caught here
     * instead); {@code undeclaredIgnored}: the pipeline ignores undeclared fields (otherwise a record that has one
     * goes the tree way, which lists them).
     */
    StreamingSchemaReader(JsonFactory factory, ZoneId localZone, List<FieldSpec> schema, boolean undeclaredIgnored) {
        // Duplicate names are caught here, per object, instead of by the parser's detector (a hash set per object:
        // 2.6 % of the source task in a profile); a document that repeats a name is left to the tree, which
        // refuses it as the parser there still detects them.
        this.factory = factory.rebuild().disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.localZone = localZone;
        this.undeclaredIgnored = undeclaredIgnored;
        this.root = new ObjectShape(schema);
    }

    /** The record, or null when the tree path has to decide. */
    Record read(byte[] json) {
        try (JsonParser parser = factory.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Object record = readObject(parser, root);
            // Trailing tokens are malformed for the tree path (FAIL_ON_TRAILING_TOKENS).
            return record == REFUSED || parser.nextToken() != null ? null : (Record) record;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Object readObject(JsonParser parser, ObjectShape shape) throws IOException {
        Object[] values = new Object[shape.fields.length];
        Set<String> undeclared = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            int index = shape.indexOf(name);
            if (index < 0) {
                if (!undeclaredIgnored) {
                    return REFUSED;
                }
                if (undeclared == null) {
                    undeclared = new HashSet<>();
                }
                if (!undeclared.add(name) || !walk(parser, token)) {
                    return REFUSED;
                }
                continue;
            }
            if (values[index] != null) {
                return REFUSED; // a duplicate name
            }
            Object value = readField(parser, token, shape.fields[index], shape.types[index]);
            if (value == REFUSED) {
                return REFUSED;
            }
            values[index] = value == null ? SEEN_ABSENT : value;
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            return REFUSED;
        }
        Record record = new Record(values.length);
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null || value == SEEN_ABSENT) {
                FieldSpec field = shape.fields[i];
                if (field.required()) {
                    return REFUSED;
                }
                value = field.defaultValue();
            }
            if (value != null) {
                record.set(shape.fields[i].name(), value);
            }
        }
        return record;
    }

    /** The value, null for an absent one (missing, null, or blank), or {@link #REFUSED}. */
    private Object readField(JsonParser parser, JsonToken token, FieldSpec field, TypeShape type) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_STRING && type.kind != FieldType.Kind.STRING && parser.getText().isBlank()) {
            return null;
        }
        return readValue(parser, token, type, field);
    }

    private Object readValue(JsonParser parser, JsonToken token, TypeShape type, FieldSpec field) throws IOException {
        switch (type.kind) {
            case STRING: {
                if (token != JsonToken.VALUE_STRING) {
                    return REFUSED;
                }
                String text = parser.getText();
                String trimmed = text.strip();
                if (trimmed.isEmpty()) {
                    return field == null ? text : null;
                }
                if (!SchemaReader.printable(trimmed)
                        || (field != null && field.maxLength() != null && trimmed.length() > field.maxLength())) {
                    return REFUSED;
                }
                return text;
            }
            case LONG:
                return wholeNumber(parser, token) ? parser.getLongValue() : REFUSED;
            case DECIMAL: {
                if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                    return REFUSED;
                }
                BigDecimal value = parser.getDecimalValue();
                int scale = type.type.scale();
                if (Decimals.hasPlacesBeyond(value, scale)) {
                    return REFUSED;
                }
                BigDecimal scaled = value.setScale(scale);
                return scaled.precision() - scaled.scale() > type.type.precision() - scale ? REFUSED : scaled;
            }
            case BOOLEAN:
                return token == JsonToken.VALUE_TRUE ? Boolean.TRUE
                        : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : REFUSED;
            case TIMESTAMP: {
                if (wholeNumber(parser, token)) {
                    return Instant.ofEpochMilli(parser.getLongValue());
                }
                if (token != JsonToken.VALUE_STRING) {
                    return REFUSED;
                }
                try {
                    return EventTimes.parse(parser.getText().strip(), localZone);
                } catch (DateTimeParseException e) {
                    return REFUSED;
                }
            }
            case OBJECT:
                return token == JsonToken.START_OBJECT ? readObject(parser, type.object) : REFUSED;
            default: {
                if (token != JsonToken.START_ARRAY) {
                    return REFUSED;
                }
                List<Object> items = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    Object value = item == JsonToken.VALUE_NULL ? REFUSED : readValue(parser, item, type.items, null);
                    if (value == REFUSED) {
                        return REFUSED;
                    }
                    items.add(value);
                }
                return items;
            }
        }
    }

    /** A number the tree holds as an int or a long (not a BigInteger): what {@code canConvertToLong} accepts. */
    private static boolean wholeNumber(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = parser.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    /**
     * Through an undeclared value to its last token, decoding each string and number as the tree would; false
     * if an object in it repeats a name (the tree's parser refuses that document).
     */
    private static boolean walk(JsonParser parser, JsonToken first) throws IOException {
        List<Set<String>> names = new ArrayList<>(); // per open object; null for an open array
        for (JsonToken token = first; ; token = parser.nextToken()) {
            switch (token) {
                case START_OBJECT -> names.add(new HashSet<>());
                case START_ARRAY -> names.add(null);
                case END_OBJECT, END_ARRAY -> names.remove(names.size() - 1);
                case FIELD_NAME -> {
                    if (!names.get(names.size() - 1).add(parser.currentName())) {
                        return false;
                    }
                }
                case VALUE_STRING -> parser.getTextLength();
                case VALUE_NUMBER_INT -> parser.getNumberValue();
                case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
                default -> { }
            }
            if (names.isEmpty()) {
                return true;
            }
        }
    }

    /** A declared object's fields, found by name: first where the last one was found plus one, then by map. */
    private static final class ObjectShape {
        final FieldSpec[] fields;
        final TypeShape[] types;
        private final Map<String, Integer> indexes = new HashMap<>();
        private int expected;

        ObjectShape(List<FieldSpec> schema) {
            fields = schema.toArray(FieldSpec[]::new);
            types = new TypeShape[fields.length];
            for (int i = 0; i < fields.length; i++) {
                types[i] = new TypeShape(fields[i].type());
                indexes.put(fields[i].name(), i);
            }
        }

        int indexOf(String name) {
            int guess = expected < fields.length ? expected : 0;
            if (fields.length > 0 && fields[guess].name().equals(name)) {
                expected = guess + 1;
                return guess;
            }
            Integer index = indexes.get(name);
            if (index == null) {
                return -1;
            }
            expected = index + 1;
            return index;
        }
    }

    private static final class TypeShape {
        final FieldType type;
        final FieldType.Kind kind;
        final ObjectShape object;
        final TypeShape items;

        TypeShape(FieldType type) {
            this.type = type;
            this.kind = type.kind();
            this.object = kind == FieldType.Kind.OBJECT ? new ObjectShape(type.fields()) : null;
            this.items = kind == FieldType.Kind.ARRAY ? new TypeShape(type.items()) : null;
        }
    }
}
