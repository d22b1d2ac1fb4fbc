package dev.midstream.cleanse;

import dev.midstream.model.RuleSpec;
import dev.midstream.udf.ExpressionException;
import dev.midstream.udf.Record;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code rules:} of a pipeline file against a record that passed its schema. A rule on an absent
 * optional field holds (only {@code not_null} asks for presence). Every broken rule is reported, under its id.
 */
final class RuleChecker implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<RuleSpec> rules;
    private transient CompiledRule[] compiled;

    /**
     * A rule with what checking it needs, built once per task: its regex's matcher (reset per value, as a task
     * checks one record at a time), its enum's values, the field a violation names, and the violation's text where
     * it does not depend on the value.
     */
    private record CompiledRule(RuleSpec spec, Matcher matcher, EnumValues enumValues, String field,
                                String fixedProblem) {}

    RuleChecker(List<RuleSpec> rules) {
        this.rules = List.copyOf(rules);
    }

    void check(Record record, List<Violation> violations) {
        if (compiled == null) {
            compiled = rules.stream().map(RuleChecker::compile).toArray(CompiledRule[]::new);
        }
        for (CompiledRule checked : compiled) {
            String problem = problem(checked, record);
            if (problem != null) {
                RuleSpec rule = checked.spec();
                String field = checked.field();
                String message = rule.message() != null ? rule.message() : problem;
                violations.add(new Violation(rule.id(), field, (field == null ? rule.id() : field) + ": " + message));
            }
        }
    }

    /** An expression rule that reads one field names it as the offending one; one that reads several names none. */
    private static String firstField(RuleSpec rule) {
        if (rule.expression() == null) {
            return null;
        }
        List<String> fields = rule.expression().fields().stream().distinct().toList();
        return fields.size() == 1 ? fields.get(0) : null;
    }

    private static String problem(CompiledRule checked, Record record) {
        RuleSpec rule = checked.spec();
        Object value = rule.field() == null ? null : record.get(rule.field());
        if (rule.kind() == RuleSpec.Kind.EXPRESSION) {
            try {
                return rule.expression().test(record) ? null : checked.fixedProblem();
            } catch (ExpressionException e) {
                return "cannot be checked: " + e.getMessage();
            }
        }
        if (value == null) {
            return rule.kind() == RuleSpec.Kind.NOT_NULL ? "is missing" : null;
        }
        switch (rule.kind()) {
            case RANGE: {
                BigDecimal number = value instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) value;
                boolean low = rule.min() != null && number.compareTo(rule.min()) < 0;
                boolean high = rule.max() != null && number.compareTo(rule.max()) > 0;
                return low || high ? "must be " + bounds(rule.min(), rule.max()) : null;
            }
            case REGEX:
                return checked.matcher().reset(((String) value).strip()).matches() ? null : checked.fixedProblem();
            case ENUM: {
                return checked.enumValues().contains((String) value) ? null : "is not one of " + rule.values();
            }
            case LENGTH: {
                int length = ((String) value).strip().length();
                boolean shortBy = rule.minLength() != null && length < rule.minLength();
                boolean longBy = rule.maxLength() != null && length > rule.maxLength();
                return shortBy || longBy ? "is " + length + " characters, " + lengthBounds(rule) : null;
            }
            default:
                return null;
        }
    }

    private static String bounds(BigDecimal min, BigDecimal max) {
        if (min != null && max != null) {
            return "between " + min.toPlainString() + " and " + max.toPlainString();
        }
        return min != null ? "at least " + min.toPlainString() : "at most " + max.toPlainString();
    }

    private static String lengthBounds(RuleSpec rule) {
        if (rule.minLength() != null && rule.maxLength() != null) {
            return "allowed " + rule.minLength() + " to " + rule.maxLength();
        }
        return rule.minLength() != null ? "at least " + rule.minLength() + " required"
                : "at most " + rule.maxLength() + " allowed";
    }

    private static CompiledRule compile(RuleSpec rule) {
        return new CompiledRule(rule,
                rule.regex() == null ? null : Pattern.compile(rule.regex()).matcher(""),
                rule.values() == null ? null : new EnumValues(rule.values(), rule.ignoreCase()),
                rule.field() != null ? rule.field() : firstField(rule),
                switch (rule.kind()) {
                    case EXPRESSION -> "does not hold: " + rule.expression().text();
                    case REGEX -> "does not match the pattern of rule '" + rule.id() + "'";
                    default -> null;
                });
    }
}
