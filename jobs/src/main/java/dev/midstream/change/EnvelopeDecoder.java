package dev.midstream.change;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.model.FieldSpec;
import dev.midstream.model.SourceFormat;

import java.io.Serializable;
import java.util.List;

/**
 * Reads one change-stream record, already parsed as JSON, into row changes whose values are plain JSON the
 * pipeline's schema reads: each format's own value encodings (Debezium's logical types, Canal's strings) are
 * decoded by the declared field types.
 */
public interface EnvelopeDecoder extends Serializable {
    Envelope decode(JsonNode envelope);

    /**
     * The decoder of a change-stream {@code format}; {@code needsPosition}: the pipeline orders versions by
     * {@code $position}, so a change without a log position is refused.
     */
    static EnvelopeDecoder of(SourceFormat format, List<FieldSpec> schema, boolean needsPosition) {
        return switch (format) {
            case DEBEZIUM_JSON -> new DebeziumDecoder(schema, needsPosition);
            case CANAL_JSON -> new CanalDecoder(schema);
            case MAXWELL_JSON -> new MaxwellDecoder(schema, needsPosition);
            case JSON -> throw new IllegalArgumentException("plain JSON records are not change envelopes");
        };
    }
}
