package dev.midstream.change;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.model.FieldSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Canal's flat messages: {@code type} {@code INSERT} and {@code UPDATE} upsert each row of {@code data},
 * {@code DELETE} deletes each; the values are strings, read by the declared types ({@code old}, the changed columns'
 * former values, is not needed). DDL ({@code isDdl}, or {@code CREATE}, {@code ALTER}, ...), {@code TRUNCATE} and
 * transaction or heartbeat markers are skipped. Canal gives no log position: a Canal pipeline orders versions by a
 * field of the row.
 */
final class CanalDecoder implements EnvelopeDecoder {
    private static final long serialVersionUID = 1L;
    private static final List<String> DDL = List.of("CREATE", "ALTER", "ERASE", "RENAME", "CINDEX", "DINDEX", "QUERY");
    private static final List<String> CONTROL = List.of("GTID", "XACOMMIT", "XAROLLBACK", "MHEARTBEAT");

    private final List<FieldSpec> schema;

    CanalDecoder(List<FieldSpec> schema) {
        this.schema = schema;
    }

    @Override
    public Envelope decode(JsonNode root) {
        if (root.path("isDdl").asBoolean(false)) {
            return new Envelope.Skipped("schema_change");
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return Envelope.Refused.change("not_an_envelope", "no 'type': not a Canal flat message");
        }
        String type = typeNode.textValue().toUpperCase(Locale.ROOT);
        boolean delete;
        switch (type) {
            case "INSERT", "UPDATE" -> delete = false;
            case "DELETE" -> delete = true;
            case "TRUNCATE" -> {
                return new Envelope.Skipped("truncate");
            }
            default -> {
                if (DDL.contains(type)) {
                    return new Envelope.Skipped("schema_change");
                }
                if (CONTROL.contains(type)) {
                    return new Envelope.Skipped(type.equals("MHEARTBEAT") ? "heartbeat" : "transaction");
                }
                return Envelope.Refused.change("unknown_op", "unknown type '"
                        + DebeziumDecoder.abbreviate(typeNode.textValue()) + "'; Canal writes INSERT, UPDATE, DELETE,"
                        + " TRUNCATE and DDL types");
            }
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            return Envelope.Refused.change("missing_row", type + " without rows in 'data'");
        }
        List<Change> changes = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode row = data.get(i);
            if (!row.isObject()) {
                return Envelope.Refused.change("missing_row", "data[" + i + "] is not a row object");
            }
            try {
                changes.add(new Change(delete, ChangeValues.row(row, schema,
                        (name, value, fieldType) -> ChangeValues.fromText(value, fieldType)), 0, 0));
            } catch (ChangeValues.FieldUndecodable e) {
                return Envelope.Refused.value(e.field, (data.size() > 1 ? "data[" + i + "]: " : "") + e.getMessage());
            }
        }
        return new Envelope.Changes(changes);
    }
}
