package dev.midstream.change;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.model.FieldSpec;

import java.util.List;

/**
 * Maxwell's rows: {@code type} {@code insert}, {@code update} and {@code bootstrap-insert} upsert {@code data},
 * {@code delete} deletes it; {@code bootstrap-start}/{@code -complete} and DDL ({@code table-alter}, ...) are
 * skipped. The position is {@code position} ({@code <binlog file>:<offset>}, written with
 * {@code output_binlog_position=true}) and {@code xoffset} (the row in its transaction,
 * {@code output_xoffset=true}); a transaction's commit row, which has no {@code xoffset}, sorts last. Bootstrap rows
 * have no position: they take the lowest, so they fill a row the stream has not written and never replace one.
 */
final class MaxwellDecoder implements EnvelopeDecoder {
    private static final long serialVersionUID = 1L;

    private final List<FieldSpec> schema;
    private final boolean needsPosition;

    MaxwellDecoder(List<FieldSpec> schema, boolean needsPosition) {
        this.schema = schema;
        this.needsPosition = needsPosition;
    }

    @Override
    public Envelope decode(JsonNode root) {
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return Envelope.Refused.change("not_an_envelope", "no 'type': not a Maxwell row");
        }
        String type = typeNode.textValue();
        boolean delete;
        boolean bootstrap = false;
        switch (type) {
            case "insert", "update" -> delete = false;
            case "delete" -> delete = true;
            case "bootstrap-insert" -> {
                delete = false;
                bootstrap = true;
            }
            case "bootstrap-start", "bootstrap-complete" -> {
                return new Envelope.Skipped("bootstrap");
            }
            default -> {
                if (type.startsWith("database-") || type.startsWith("table-")) {
                    return new Envelope.Skipped("schema_change");
                }
                return Envelope.Refused.change("unknown_op", "unknown type '" + DebeziumDecoder.abbreviate(type)
                        + "'; Maxwell writes insert, update, delete and bootstrap-*");
            }
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return Envelope.Refused.change("missing_row", type + " without a 'data' row");
        }
        long major = 0;
        long minor = 0;
        if (!bootstrap) {
            long[] position = position(root);
            if (position == null && needsPosition) {
                return Envelope.Refused.change("no_position", "no 'position' (<binlog file>:<offset>); Maxwell writes it"
                        + " with output_binlog_position=true, which the pipeline's dedup.version $position needs");
            }
            if (position != null) {
                major = position[0];
                minor = position[1];
            }
        }
        try {
            return new Envelope.Changes(List.of(new Change(delete, ChangeValues.row(data, schema,
                    (name, value, fieldType) -> ChangeValues.fromMaxwell(value, fieldType)), major, minor)));
        } catch (ChangeValues.FieldUndecodable e) {
            return Envelope.Refused.value(e.field, e.getMessage());
        }
    }

    private static long[] position(JsonNode root) {
        String position = root.path("position").asText(null);
        int colon = position == null ? -1 : position.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        long file = LogPositions.fileNumber(position.substring(0, colon));
        long offset;
        try {
            offset = Long.parseLong(position.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        JsonNode xoffset = root.get("xoffset");
        long rank = xoffset != null && xoffset.canConvertToLong() ? xoffset.longValue() + 1
                : root.path("commit").asBoolean(false) ? LogPositions.LAST_RANK : 1;
        long minor = LogPositions.binlogMinor(offset, Math.min(rank, LogPositions.LAST_RANK));
        return file < 0 || minor < 0 ? null : new long[] {file, minor};
    }
}
