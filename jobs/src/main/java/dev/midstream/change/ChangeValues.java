package dev.midstream.change;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.record.Decimals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Decodes the values of a change envelope's row into the plain JSON values the schema reader takes, by the declared
 * field type: Canal's strings into numbers and booleans, Debezium's logical types (decimals as base64 with the
 * envelope schema's scale, as strings or doubles; {@code io.debezium.time.*} days, milli-, micro- and nanosecond
 * timestamps, zoned timestamps; JSON text) into decimals and ISO-8601 text. Timestamps without a zone become
 * ISO-8601 text without an offset, read in {@code midstream.record.local-time-zone} like any other.
 */
final class ChangeValues {
    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectReader JSON = JsonMapper.builder().nodeFactory(NODES).build().reader();
    /** 9999-12-31T23:59:59.999Z in epoch milliseconds: a larger number is not milliseconds. */
    private static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private ChangeValues() {}

    /**
     * The declared fields of {@code row}, decoded by {@code decoder}; fields the schema does not declare are left out.
     */
    static ObjectNode row(JsonNode row, List<FieldSpec> schema, FieldDecoder decoder) throws FieldUndecodable {
        ObjectNode decoded = NODES.objectNode();
        for (FieldSpec field : schema) {
            JsonNode value = row.get(field.name());
            if (value == null) {
                continue;
            }
            try {
                decoded.set(field.name(), decoder.decode(field.name(), value, field.type()));
            } catch (UndecodableValue e) {
                throw new FieldUndecodable(field.name(), e.getMessage());
            }
        }
        return decoded;
    }

    interface FieldDecoder {
        JsonNode decode(String name, JsonNode value, FieldType type) throws UndecodableValue;
    }

    /** The field and the reason of the first value that did not decode. */
    static final class FieldUndecodable extends Exception {
        private static final long serialVersionUID = 1L;
        final String field;

        FieldUndecodable(String field, String reason) {
            super(reason, null, false, false);
            this.field = field;
        }
    }

    /** A value written as text (Canal writes every value so): numbers, booleans and JSON are read from it. */
    static JsonNode fromText(JsonNode value, FieldType type) throws UndecodableValue {
        if (!value.isTextual() || value.textValue().isBlank()) {
            return value;
        }
        String text = value.textValue().strip();
        switch (type.kind()) {
            case LONG:
                try {
                    return NODES.numberNode(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new UndecodableValue("'" + abbreviate(text) + "' is not a whole number");
                }
            case DECIMAL:
                return NODES.numberNode(decimal(text));
            case BOOLEAN:
                return switch (text.toLowerCase(Locale.ROOT)) {
                    case "1", "true" -> NODES.booleanNode(true);
                    case "0", "false" -> NODES.booleanNode(false);
                    default -> throw new UndecodableValue("'" + abbreviate(text) + "' is not 1, 0, true or false");
                };
            case OBJECT:
            case ARRAY:
                return json(text);
            default:
                return value;
        }
    }

    /**
     * A Debezium value, decoded by its logical type in the envelope schema ({@code fieldSchema}, null without the
     * schema wrapper) and the declared type.
     */
    static JsonNode fromDebezium(JsonNode value, JsonNode fieldSchema, FieldType type) throws UndecodableValue {
        if (value.isNull()) {
            return value;
        }
        String logical = fieldSchema == null ? null : fieldSchema.path("name").asText(null);
        if (logical != null) {
            switch (logical) {
                case "org.apache.kafka.connect.data.Decimal":
                    return decimalAs(value.isTextual() ? preciseDecimal(value.textValue(), scale(fieldSchema))
                            : numeric(value), type);
                case "io.debezium.data.VariableScaleDecimal":
                    return decimalAs(variableScale(value), type);
                case "io.debezium.time.Date":
                case "org.apache.kafka.connect.data.Date":
                    return dateAs(LocalDate.ofEpochDay(integral(value, "days since 1970-01-01")), type, value);
                case "io.debezium.time.Timestamp":
                case "org.apache.kafka.connect.data.Timestamp":
                    return localTimestampAs(integral(value, "epoch milliseconds"), 1_000_000L, type, value);
                case "io.debezium.time.MicroTimestamp":
                    return localTimestampAs(integral(value, "epoch microseconds"), 1_000L, type, value);
                case "io.debezium.time.NanoTimestamp":
                    return localTimestampAs(integral(value, "epoch nanoseconds"), 1L, type, value);
                case "io.debezium.time.Time":
                case "org.apache.kafka.connect.data.Time":
                    return timeAs(integral(value, "milliseconds past midnight") * 1_000_000L, type, value);
                case "io.debezium.time.MicroTime":
                    return timeAs(integral(value, "microseconds past midnight") * 1_000L, type, value);
                case "io.debezium.time.NanoTime":
                    return timeAs(integral(value, "nanoseconds past midnight"), type, value);
                default:
                    break;
            }
        }
        switch (type.kind()) {
            case DECIMAL:
                if (value.isObject()) {
                    return NODES.numberNode(variableScale(value));
                }
                if (value.isTextual() && !value.textValue().isBlank()) {
                    try {
                        return NODES.numberNode(new BigDecimal(value.textValue().strip()));
                    } catch (NumberFormatException e) {
                        throw new UndecodableValue("'" + abbreviate(value.textValue()) + "' is not a number; a"
                                + " Debezium decimal in 'precise' mode (base64) needs the envelope schema"
                                + " (value.converter.schemas.enable=true) or decimal.handling.mode=string");
                    }
                }
                return value;
            case TIMESTAMP:
                if (value.isIntegralNumber() && value.canConvertToLong()
                        && Math.abs(value.longValue()) > MAX_EPOCH_MILLIS) {
                    throw new UndecodableValue(value.asText() + " is too large for epoch milliseconds (micro- or"
                            + " nanoseconds?); keep the envelope schema (value.converter.schemas.enable=true) or set"
                            + " time.precision.mode=connect");
                }
                return value;
            case BOOLEAN:
                if (value.isIntegralNumber() && (value.longValue() == 0 || value.longValue() == 1)) {
                    return NODES.booleanNode(value.longValue() == 1);
                }
                return value;
            case OBJECT:
            case ARRAY:
                return value.isTextual() ? json(value.textValue()) : value;
            default:
                return value;
        }
    }

    /** Maxwell writes typed JSON; only a boolean column comes as 0 or 1 and JSON columns may come as text. */
    static JsonNode fromMaxwell(JsonNode value, FieldType type) throws UndecodableValue {
        if (type.kind() == FieldType.Kind.BOOLEAN && value.isIntegralNumber()
                && (value.longValue() == 0 || value.longValue() == 1)) {
            return NODES.booleanNode(value.longValue() == 1);
        }
        if ((type.kind() == FieldType.Kind.OBJECT || type.kind() == FieldType.Kind.ARRAY) && value.isTextual()) {
            return json(value.textValue());
        }
        return value;
    }

    private static int scale(JsonNode fieldSchema) throws UndecodableValue {
        JsonNode scale = fieldSchema.path("parameters").path("scale");
        try {
            return Integer.parseInt(scale.asText());
        } catch (NumberFormatException e) {
            throw new UndecodableValue("the envelope schema gives this Decimal no scale");
        }
    }

    private static BigDecimal preciseDecimal(String base64, int scale) throws UndecodableValue {
        byte[] unscaled;
        try {
            unscaled = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new UndecodableValue("'" + abbreviate(base64) + "' is not a base64 decimal");
        }
        if (unscaled.length == 0) {
            throw new UndecodableValue("an empty base64 decimal");
        }
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    private static BigDecimal variableScale(JsonNode value) throws UndecodableValue {
        JsonNode scale = value.get("scale");
        JsonNode unscaled = value.get("value");
        if (scale == null || !scale.canConvertToInt() || unscaled == null || !unscaled.isTextual()) {
            throw new UndecodableValue("expected a variable-scale decimal {\"scale\": n, \"value\": base64}");
        }
        return preciseDecimal(unscaled.textValue(), scale.intValue());
    }

    private static BigDecimal numeric(JsonNode value) throws UndecodableValue {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        throw new UndecodableValue("expected a decimal, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private static BigDecimal decimal(String text) throws UndecodableValue {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new UndecodableValue("'" + abbreviate(text) + "' is not a number");
        }
    }

    private static JsonNode decimalAs(BigDecimal value, FieldType type) {
        return switch (type.kind()) {
            case STRING -> NODES.textNode(value.toPlainString());
            case LONG -> !Decimals.hasPlacesBeyond(value, 0)
                    && value.toBigInteger().bitLength() < 64
                    ? NODES.numberNode(value.longValueExact()) : NODES.numberNode(value);
            default -> NODES.numberNode(value);
        };
    }

    private static long integral(JsonNode value, String what) throws UndecodableValue {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new UndecodableValue("expected " + what + ", got " + abbreviate(value.toString()));
        }
        return value.longValue();
    }

    private static JsonNode dateAs(LocalDate date, FieldType type, JsonNode raw) {
        return switch (type.kind()) {
            case STRING -> NODES.textNode(date.toString());
            case TIMESTAMP -> NODES.textNode(date.atStartOfDay().toString());
            default -> raw;
        };
    }

    private static JsonNode localTimestampAs(long units, long nanosPerUnit, FieldType type, JsonNode raw) {
        if (type.kind() != FieldType.Kind.TIMESTAMP && type.kind() != FieldType.Kind.STRING) {
            return raw;
        }
        long perSecond = 1_000_000_000L / nanosPerUnit;
        LocalDateTime at = LocalDateTime.ofEpochSecond(Math.floorDiv(units, perSecond),
                (int) (Math.floorMod(units, perSecond) * nanosPerUnit), ZoneOffset.UTC);
        return NODES.textNode(at.toString());
    }

    private static JsonNode timeAs(long nanosOfDay, FieldType type, JsonNode raw) throws UndecodableValue {
        if (type.kind() != FieldType.Kind.STRING) {
            return raw;
        }
        if (nanosOfDay < 0 || nanosOfDay >= 86_400_000_000_000L) {
            throw new UndecodableValue("is not a time of day");
        }
        return NODES.textNode(LocalTime.ofNanoOfDay(nanosOfDay).toString());
    }

    private static JsonNode json(String text) throws UndecodableValue {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UndecodableValue("'" + abbreviate(text) + "' is not JSON");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
