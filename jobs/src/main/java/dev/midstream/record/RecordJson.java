package dev.midstream.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.midstream.udf.Record;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A record as JSON: for {@code jsonb} columns and output topics. Timestamps are ISO-8601 UTC strings. */
public final class RecordJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private RecordJson() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(node(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a record could not be written as JSON", e);
        }
    }

    public static byte[] bytes(Record record) {
        try {
            return MAPPER.writeValueAsBytes(node(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a record could not be written as JSON", e);
        }
    }

    private static JsonNode node(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Record record) {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < record.size(); i++) {
                object.set(record.nameAt(i), node(record.valueAt(i)));
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(node(item)));
            return array;
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Instant i) {
            return NODES.textNode(InstantText.of(i));
        }
        return NODES.textNode(value.toString());
    }
}
