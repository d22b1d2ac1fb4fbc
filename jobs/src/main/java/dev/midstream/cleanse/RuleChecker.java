package dev.midstream.cleanse;

import dev.midstream.model.RuleSpec;
import dev.midstream.udf.ExpressionException;
import dev.midstream.udf.Record;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
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
    // One matcher per regex rule, reset per value: a task checks one record at a time.
    private transient List<Matcher> matchers;
    private transient List<EnumValues> enums;
    // Per rule, what a violation of it names, worked out once rather than per rejected record.
    private transient List<String> offendingFields;
    private transient List<String> fixedProblems;

    RuleChecker(List<RuleSpec> rules) {
        this.rules = List.copyOf(rules);
    }

    void check(Record record, List<Violation> violations) {
        if (matchers == null) {
            compile();
        }
        for (int i = 0; i < rules.size(); i++) {
            RuleSpec rule = rules.get(i);
            String problem = problem(rule, i, record);
            if (problem != null) {
                String field = offendingFields.get(i);
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

    private String problem(RuleSpec rule, int index, Record record) {
        Object value = rule.field() == null ? null : record.get(rule.field());
        if (rule.kind() == RuleSpec.Kind.EXPRESSION) {
            try {
                return rule.expression().test(record) ? null : fixedProblems.get(index);
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
                return matchers.get(index).reset(((String) value).strip()).matches() ? null : fixedProblems.get(index);
            case ENUM: {
                return enums.get(index).contains((String) value) ? null : "is not one of " + rule.values();
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

    private void compile() {
        matchers = new ArrayList<>();
        enums = new ArrayList<>();
        offendingFields = new ArrayList<>();
        fixedProblems = new ArrayList<>();
        for (RuleSpec rule : rules) {
            matchers.add(rule.regex() == null ? null : Pattern.compile(rule.regex()).matcher(""));
            enums.add(rule.values() == null ? null : new EnumValues(rule.values(), rule.ignoreCase()));
            offendingFields.add(rule.field() != null ? rule.field() : firstField(rule));
            fixedProblems.add(switch (rule.kind()) {
                case EXPRESSION -> "does not hold: " + rule.expression().text();
                case REGEX -> "does not match the pattern of rule '" + rule.id() + "'";
                default -> null;
            });
        }
    }
}
