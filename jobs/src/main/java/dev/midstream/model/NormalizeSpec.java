package dev.midstream.model;

import java.io.Serializable;
import java.util.List;

/** The {@code normalize:} entry for one string field: operations applied in order. */
public record NormalizeSpec(String field, List<Op> ops) implements Serializable {
    public NormalizeSpec {
        // interned, also as a task deserializes it: records then find the name by identity (FieldNames)
        field = field.intern();
    }

    public enum Op {
        /** Strip leading and trailing white space. */
        TRIM,
        LOWER,
        UPPER,
        /** Keep digits only: {@code +1 (415) 555-0123} becomes {@code 14155550123}. */
        DIGITS,
        /** Runs of white space become one space. */
        COLLAPSE_SPACES
    }
}
