package dev.midstream.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a source topic's records are written: plain JSON objects, or one of the change-data-capture envelopes that
 * carry a database row change (an upsert or a delete of one row, or of several for Canal) and where in the
 * database's log it happened.
 */
public enum SourceFormat {
    JSON,
    /** Debezium's change events, with or without the converter's {@code schema}/{@code payload} wrapper. */
    DEBEZIUM_JSON,
    /** Canal's flat messages: a {@code data} array of rows whose values are strings. */
    CANAL_JSON,
    /** Maxwell's daemon: one row per message, {@code data} and, for updates, {@code old}. */
    MAXWELL_JSON;

    /** As written in a pipeline file: {@code json}, {@code debezium-json}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A change stream: records are row changes with an operation, not plain records. */
    public boolean isChangeStream() {
        return this != JSON;
    }

    /** Whether the envelope says where in the source database's log the change is ({@code $position}). */
    public boolean hasLogPosition() {
        return this == DEBEZIUM_JSON || this == MAXWELL_JSON;
    }

    /** The format with this id, or null. */
    public static SourceFormat ofId(String id) {
        return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst().orElse(null);
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(SourceFormat::id).toList());
    }
}
