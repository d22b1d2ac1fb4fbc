package dev.midstream.udf.remote;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remote-function wire protocol, version 1: JSON over HTTP POST (see {@code udfs/REMOTE_PROTOCOL.md}). A record
 * travels as {@code {"id", "fields", "types"}}: strings, whole numbers ({@code Long}), booleans, nested objects and
 * arrays as JSON; decimals and timestamps as strings, named in {@code types} by field path ({@code "amount":
 * "decimal"}, {@code "address.since": "timestamp"}, {@code "prices[]": "decimal"} for the items of an array), so no
 * value changes on the way. This class encodes and decodes both ends: the platform's step and a function host.
 */
public final class RemoteProtocol {
    public static final int VERSION = 1;
    public static final String DECIMAL = "decimal";
    public static final String TIMESTAMP = "timestamp";

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .nodeFactory(NODES)
            .build();

    private RemoteProtocol() {}

    /** One record of a request: its idempotency id and the fields sent. */
    public record Call(String id, Record fields) {}

    /** The request of one batch. */
    public record Request(String function, String pipeline, String step, Map<String, Object> params, List<Call> calls) {}

    /** What the function made of one record: records (none when it filtered the record), or an error. */
    public record Outcome(String id, List<Record> records, String error) {
        public static Outcome of(String id, List<Record> records) {
            return new Outcome(id, List.copyOf(records), null);
        }

        public static Outcome failed(String id, String error) {
            return new Outcome(id, List.of(), error);
        }

        public boolean failed() {
            return error != null;
        }
    }

    /** The response of one batch: an outcome per id, and the function's counters for the batch. */
    public record Response(List<Outcome> outcomes, Map<String, Long> counters) {}

    /** A message that does not follow the protocol; says what is wrong. */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    // --- requests -------------------------------------------------------------------------------------------

    public static byte[] encode(Request request) {
        ObjectNode root = NODES.objectNode();
        root.put("protocol", VERSION);
        root.put("function", request.function());
        root.put("pipeline", request.pipeline());
        root.put("step", request.step());
        root.set("params", JSON.valueToTree(request.params()));
        ArrayNode records = root.putArray("records");
        for (Call call : request.calls()) {
            ObjectNode record = records.addObject();
            record.put("id", call.id());
            writeRecord(call.fields(), record);
        }
        return bytes(root);
    }

    public static Request decodeRequest(byte[] body) throws ProtocolException {
        JsonNode root = read(body);
        version(root);
        String function = text(root, "function");
        Map<String, Object> params = root.has("params") && !root.get("params").isNull()
                ? plainMap(root.get("params"), "params") : Map.of();
        JsonNode records = root.get("records");
        if (records == null || !records.isArray()) {
            throw new ProtocolException("'records' must be an array");
        }
        List<Call> calls = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            calls.add(new Call(text(record, "id"), readRecord(record, "records[" + calls.size() + "]")));
        }
        return new Request(function, root.path("pipeline").asText(null), root.path("step").asText(null), params, calls);
    }

    // --- responses ------------------------------------------------------------------------------------------

    public static byte[] encode(Response response) {
        ObjectNode root = NODES.objectNode();
        root.put("protocol", VERSION);
        ArrayNode results = root.putArray("results");
        for (Outcome outcome : response.outcomes()) {
            ObjectNode result = results.addObject();
            result.put("id", outcome.id());
            if (outcome.failed()) {
                result.put("error", outcome.error());
            } else {
                ArrayNode records = result.putArray("records");
                for (Record record : outcome.records()) {
                    writeRecord(record, records.addObject());
                }
            }
        }
        ObjectNode counters = root.putObject("counters");
        response.counters().forEach(counters::put);
        return bytes(root);
    }

    public static Response decodeResponse(byte[] body) throws ProtocolException {
        JsonNode root = read(body);
        version(root);
        JsonNode results = root.get("results");
        if (results == null || !results.isArray()) {
            throw new ProtocolException("'results' must be an array");
        }
        List<Outcome> outcomes = new ArrayList<>(results.size());
        for (JsonNode result : results) {
            String id = text(result, "id");
            JsonNode error = result.get("error");
            if (error != null && !error.isNull()) {
                outcomes.add(Outcome.failed(id, error.asText()));
                continue;
            }
            JsonNode records = result.get("records");
            if (records == null || !records.isArray()) {
                throw new ProtocolException("result '" + id + "' has neither 'records' nor 'error'");
            }
            List<Record> out = new ArrayList<>(records.size());
            for (JsonNode record : records) {
                out.add(readRecord(record, "result '" + id + "'"));
            }
            outcomes.add(Outcome.of(id, out));
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        JsonNode counterNode = root.get("counters");
        if (counterNode != null && counterNode.isObject()) {
            counterNode.fields().forEachRemaining(e -> {
                if (e.getValue().canConvertToLong()) {
                    counters.put(e.getKey(), e.getValue().longValue());
                }
            });
        }
        return new Response(outcomes, counters);
    }

    /** {@code {"protocol": 1, "error": message}}: what a host answers with a 4xx or 5xx. */
    public static byte[] error(String message) {
        ObjectNode root = NODES.objectNode();
        root.put("protocol", VERSION);
        root.put("error", message);
        return bytes(root);
    }

    /** The {@code error} of a 4xx or 5xx body, or the body itself (abbreviated) if it is not the protocol's. */
    public static String errorOf(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.hasNonNull("error")) {
                return root.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show what came back
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** The listing a host serves at {@code GET /v1/functions}. */
    public static byte[] listing(Map<String, String> functions) {
        ObjectNode root = NODES.objectNode();
        root.put("protocol", VERSION);
        ArrayNode list = root.putArray("functions");
        functions.forEach((name, description) -> list.addObject().put("name", name).put("description", description));
        return bytes(root);
    }

    public static List<String> decodeListing(byte[] body) throws ProtocolException {
        JsonNode root = read(body);
        version(root);
        List<String> names = new ArrayList<>();
        for (JsonNode function : root.path("functions")) {
            names.add(text(function, "name"));
        }
        return names;
    }

    /** The parameter check a host answers at {@code POST /v1/functions/<name>/check}. */
    public static byte[] check(Map<String, Object> params) {
        ObjectNode root = NODES.objectNode();
        root.put("protocol", VERSION);
        root.set("params", JSON.valueToTree(params));
        return bytes(root);
    }

    public static Map<String, Object> decodeCheck(byte[] body) throws ProtocolException {
        JsonNode root = read(body);
        version(root);
        return root.has("params") ? plainMap(root.get("params"), "params") : Map.of();
    }

    /** Parameters as the platform's {@link Parameters} reads them: whole numbers as Long, other numbers exact. */
    public static Parameters parameters(Map<String, Object> params) {
        return new Parameters(params);
    }

    // --- records --------------------------------------------------------------------------------------------

    private static void writeRecord(Record record, ObjectNode into) {
        ObjectNode types = NODES.objectNode();
        into.set("fields", fields(record, "", types));
        if (!types.isEmpty()) {
            into.set("types", types);
        }
    }

    private static ObjectNode fields(Record record, String prefix, ObjectNode types) {
        ObjectNode fields = NODES.objectNode();
        for (Map.Entry<String, Object> field : record.asMap().entrySet()) {
            fields.set(field.getKey(), value(field.getValue(), prefix + field.getKey(), types));
        }
        return fields;
    }

    private static JsonNode value(Object value, String path, ObjectNode types) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof BigDecimal d) {
            types.put(path, DECIMAL);
            return NODES.textNode(d.toPlainString());
        }
        if (value instanceof Instant i) {
            types.put(path, TIMESTAMP);
            return NODES.textNode(i.toString());
        }
        if (value instanceof Record r) {
            return fields(r, path + ".", types);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            for (Object item : list) {
                array.add(value(item, path + "[]", types));
            }
            return array;
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName() + " is not a record value");
    }

    private static Record readRecord(JsonNode node, String where) throws ProtocolException {
        JsonNode fields = node.get("fields");
        if (fields == null || !fields.isObject()) {
            throw new ProtocolException(where + ": 'fields' must be an object");
        }
        JsonNode types = node.path("types");
        return readFields(fields, "", types, where);
    }

    private static Record readFields(JsonNode fields, String prefix, JsonNode types, String where)
            throws ProtocolException {
        Record record = new Record();
        Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            Object value = readValue(field.getValue(), prefix + field.getKey(), types, where);
            if (value != null) {
                record.set(field.getKey(), value);
            }
        }
        return record;
    }

    private static Object readValue(JsonNode node, String path, JsonNode types, String where) throws ProtocolException {
        if (node.isNull()) {
            return null;
        }
        String type = types.path(path).asText(null);
        if (DECIMAL.equals(type) || TIMESTAMP.equals(type)) {
            if (!node.isTextual()) {
                throw new ProtocolException(where + ": " + path + " is typed " + type + " but is not a string");
            }
            try {
                return DECIMAL.equals(type) ? new BigDecimal(node.textValue()) : Instant.parse(node.textValue());
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new ProtocolException(where + ": " + path + ": '" + node.textValue() + "' is not a " + type);
            }
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isObject()) {
            return readFields(node, path + ".", types, where);
        }
        List<Object> items = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            Object value = readValue(item, path + "[]", types, where);
            if (value != null) {
                items.add(value);
            }
        }
        return items;
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static JsonNode read(byte[] body) throws ProtocolException {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new ProtocolException("not a JSON object");
            }
            return root;
        } catch (ProtocolException e) {
            throw e;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProtocolException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException("not readable: " + e.getMessage());
        }
    }

    private static void version(JsonNode root) throws ProtocolException {
        JsonNode version = root.get("protocol");
        if (version == null || !version.canConvertToInt() || version.intValue() != VERSION) {
            throw new ProtocolException("protocol " + (version == null ? "missing" : version.asText())
                    + ", this side speaks protocol " + VERSION);
        }
    }

    private static String text(JsonNode node, String field) throws ProtocolException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new ProtocolException("'" + field + "' must be a string");
        }
        return value.textValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(JsonNode node, String where) throws ProtocolException {
        if (!node.isObject()) {
            throw new ProtocolException("'" + where + "' must be an object");
        }
        return (Map<String, Object>) plain(node);
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
