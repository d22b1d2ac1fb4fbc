package dev.midstream.cleanse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.midstream.deadletter.Stage;
import dev.midstream.source.RawRecord;

import java.io.IOException;

/**
 * The first checks of every JSON pipeline: the record has a value (stage {@code source}, rule
 * {@code null_value}), within the size limit ({@code payload_too_large}), that is exactly one JSON object
 * (stage {@code parse}: {@code malformed_json}, {@code not_an_object}). Duplicate keys and trailing tokens are
 * malformed; numbers keep their exact decimal value.
 */
final class RawJsonReader {
    /** Either the object or why the record was refused. */
    record Result(JsonNode object, Stage stage, String rule, String reason) {
        boolean ok() {
            return object != null;
        }
    }

    private final int maxRecordBytes;
    private final ObjectReader json;

    RawJsonReader(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.json = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build()
                .reader();
    }

    /** The parser factory of the tree, for a reader that must parse exactly as this one does. */
    JsonFactory factory() {
        return json.getFactory();
    }

    Result read(RawRecord raw) {
        if (raw.value == null) {
            return refused(Stage.SOURCE, "null_value", "record value is null (a tombstone)");
        }
        if (raw.value.length > maxRecordBytes) {
            return refused(Stage.SOURCE, "payload_too_large",
                    "payload is " + raw.value.length + " bytes, at most " + maxRecordBytes + " allowed");
        }
        JsonNode root;
        try {
            root = json.readTree(raw.value);
        } catch (JsonProcessingException e) {
            return refused(Stage.PARSE, "malformed_json", "not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return refused(Stage.PARSE, "malformed_json", "not readable as JSON: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // Jackson lets some number failures out unwrapped, e.g. NumberFormatException for "9999E94999999999"
            // (an exponent BigDecimal cannot hold). Found by fuzzing; without this the task would fail.
            return refused(Stage.PARSE, "malformed_json", "not readable as JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            return refused(Stage.PARSE, "not_an_object", "expected a JSON object, got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().name().toLowerCase()));
        }
        return new Result(root, null, null, null);
    }

    private static Result refused(Stage stage, String rule, String reason) {
        return new Result(null, stage, rule, reason);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
