package dev.midstream.pipeline;

import java.io.Serializable;

/**
 * One field of a data set's schema. {@code defaultValue} (already of the field's record type) fills an absent
 * optional field; {@code maxLength} applies to strings.
 */
public record FieldSpec(String name, FieldType type, boolean required, Object defaultValue, Integer maxLength,
        Location location) implements Serializable {}
