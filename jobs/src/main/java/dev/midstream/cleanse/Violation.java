package dev.midstream.cleanse;

/**
 * One broken rule. The rule id is {@code <field>_<check>} (e.g. {@code amount_range}) and names the
 * per-rule counter {@code midstream.validation.rejected.<rule>}.
 */
public record Violation(String rule, String field, String message) {
    static Violation of(String field, String check, String message) {
        return new Violation(field + "_" + check, field, field + ": " + message);
    }
}
