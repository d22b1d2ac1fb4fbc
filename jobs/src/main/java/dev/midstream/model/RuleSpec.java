package dev.midstream.model;

import dev.midstream.udf.Expression;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

/**
 * A validation rule from the {@code rules:} list. Exactly one kind per rule; a failing rule sends the record
 * to dead letters with stage {@code validation} and rule {@code id}.
 */
public record RuleSpec(String id, Kind kind, String field, BigDecimal min, BigDecimal max, String regex,
        List<String> values, boolean ignoreCase, Integer minLength, Integer maxLength, Expression expression,
        String message, Location location) implements Serializable {
    public RuleSpec {
        // interned, also as a task deserializes it: records then find the name by identity (FieldNames)
        field = field == null ? null : field.intern();
    }

    public enum Kind { NOT_NULL, RANGE, REGEX, ENUM, LENGTH, EXPRESSION }
}
