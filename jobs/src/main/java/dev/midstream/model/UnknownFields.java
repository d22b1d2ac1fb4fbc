package dev.midstream.model;

import java.util.Locale;

/** What a pipeline does with fields a record carries that its schema does not declare ({@code source.unknown_fields}). */
public enum UnknownFields {
    /** Not read, not counted (the default). */
    IGNORE,
    /** Not read; counted per field name in the quality history (measure {@code unknown_field}). */
    COUNT,
    /** The record is a dead letter ({@code validation/unknown_field}, naming the field). */
    REJECT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UnknownFields ofId(String id) {
        for (UnknownFields mode : values()) {
            if (mode.id().equals(id)) {
                return mode;
            }
        }
        return null;
    }
}
