package dev.midstream.change;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.model.FieldSpec;
import dev.midstream.record.FlowRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium change events (JSON converter, with or without the {@code schema}/{@code payload} wrapper): {@code op}
 * {@code c}, {@code u} and {@code r} (snapshot read) upsert the {@code after} row, {@code d} deletes the
 * {@code before} row's key; truncates, logical messages, schema changes, transaction markers and heartbeats are
 * skipped. The position comes from {@code source}: for MySQL and MariaDB (file, pos, row), for PostgreSQL the change's
 * LSN; a snapshot read sorts before a streamed change at the same position, and PostgreSQL's incremental-snapshot rows,
 * which carry no LSN, follow their key's latest change (Debezium has already ordered them against the stream).
 */
final class DebeziumDecoder implements EnvelopeDecoder {
    private static final long serialVersionUID = 1L;

    private final List<FieldSpec> schema;
    private final boolean needsPosition;

    DebeziumDecoder(List<FieldSpec> schema, boolean needsPosition) {
        this.schema = schema;
        this.needsPosition = needsPosition;
    }

    @Override
    public Envelope decode(JsonNode root) {
        JsonNode envelope = root;
        JsonNode connectSchema = null;
        if (root.has("payload") && root.has("schema")) {
            envelope = root.get("payload");
            connectSchema = root.get("schema");
            if (envelope == null || envelope.isNull()) {
                return new Envelope.Skipped("tombstone");
            }
            if (!envelope.isObject()) {
                return Envelope.Refused.change("not_an_envelope", "'payload' is not an object");
            }
        }
        JsonNode opNode = envelope.get("op");
        if (opNode == null || opNode.isNull()) {
            return withoutOp(envelope);
        }
        String op = opNode.asText();
        boolean delete;
        switch (op) {
            case "c", "u", "r" -> delete = false;
            case "d" -> delete = true;
            case "t" -> {
                return new Envelope.Skipped("truncate");
            }
            case "m" -> {
                return new Envelope.Skipped("message");
            }
            default -> {
                return Envelope.Refused.change("unknown_op", "unknown op '" + abbreviate(op)
                        + "'; Debezium writes c, u, d, r, t and m");
            }
        }
        String image = delete ? "before" : "after";
        JsonNode row = envelope.get(image);
        if (row == null || !row.isObject()) {
            return Envelope.Refused.change("missing_row", "op '" + op + "' without a '" + image + "' row"
                    + (delete ? " (PostgreSQL: the table's REPLICA IDENTITY must be DEFAULT or FULL)" : ""));
        }
        long[] position = position(envelope.get("source"), op.equals("r"));
        if (position == null) {
            if (needsPosition) {
                return Envelope.Refused.change("no_position", "the change's 'source' gives no log position (MySQL or"
                        + " MariaDB: file, pos and row; PostgreSQL: lsn), which the pipeline's dedup.version $position"
                        + " needs");
            }
            position = new long[] {0, 0};
        }
        Map<String, JsonNode> fieldSchemas = fieldSchemas(connectSchema, image);
        try {
            return new Envelope.Changes(List.of(new Change(delete, ChangeValues.row(row, schema,
                    (name, value, type) -> ChangeValues.fromDebezium(value, fieldSchemas.get(name), type)),
                    position[0], position[1])));
        } catch (ChangeValues.FieldUndecodable e) {
            return Envelope.Refused.value(e.field, e.getMessage());
        }
    }

    /** Records without an {@code op}: schema changes, transaction markers and heartbeats, or not Debezium's. */
    private static Envelope withoutOp(JsonNode envelope) {
        if (envelope.has("ddl") || envelope.has("tableChanges")) {
            return new Envelope.Skipped("schema_change");
        }
        if (envelope.has("status") && envelope.has("id")) {
            return new Envelope.Skipped("transaction");
        }
        if (envelope.size() == 1 && envelope.has("ts_ms")) {
            return new Envelope.Skipped("heartbeat");
        }
        return Envelope.Refused.change("not_an_envelope", "no 'op': not a Debezium change event");
    }

    /** (major, minor), or null when {@code source} says nothing this decoder can order by. */
    private static long[] position(JsonNode source, boolean snapshot) {
        if (source == null || !source.isObject()) {
            return null;
        }
        String connector = source.path("connector").asText("");
        switch (connector) {
            case "mysql", "mariadb" -> {
                long file = LogPositions.fileNumber(source.path("file").asText(null));
                JsonNode pos = source.get("pos");
                if (file < 0 || pos == null || !pos.canConvertToLong()) {
                    return null;
                }
                long minor = LogPositions.binlogMinor(pos.longValue(), snapshot ? 0 : source.path("row").asLong(0) + 1);
                return minor < 0 ? null : new long[] {file, minor};
            }
            case "postgresql" -> {
                JsonNode lsn = source.get("lsn");
                if (lsn == null || lsn.isNull()) {
                    // Incremental snapshots carry no LSN; Debezium orders their rows against the stream itself.
                    return snapshot ? new long[] {FlowRecord.AFTER_LATEST, 0} : null;
                }
                return lsn.canConvertToLong() && lsn.longValue() >= 0 ? new long[] {lsn.longValue(), snapshot ? 0 : 1}
                        : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** The logical-type schemas of the row's fields, by name, from the wrapper's {@code schema}; empty without it. */
    private static Map<String, JsonNode> fieldSchemas(JsonNode connectSchema, String image) {
        Map<String, JsonNode> byName = new HashMap<>();
        if (connectSchema == null) {
            return byName;
        }
        for (JsonNode part : connectSchema.path("fields")) {
            if (image.equals(part.path("field").asText())) {
                for (JsonNode field : part.path("fields")) {
                    byName.put(field.path("field").asText(), field);
                }
            }
        }
        return byName;
    }

    static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
