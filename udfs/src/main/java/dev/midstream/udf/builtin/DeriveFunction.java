package dev.midstream.udf.builtin;

import dev.midstream.udf.Expression;
import dev.midstream.udf.ExpressionException;
import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code derive}: sets {@code field} from an {@code expression} over the record, or from a {@code template}
 * such as {@code "{first_name} {last_name}"} whose placeholders are field paths. A placeholder without a value
 * rejects the record, unless {@code missing: empty}.
 */
public final class DeriveFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "derive";
    }

    @Override
    public String description() {
        return "set a field from an expression or a {field} template";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly("field", "expression", "template", "missing");
        String field = parameters.string("field");
        boolean hasExpression = parameters.has("expression");
        if (hasExpression == parameters.has("template")) {
            throw new ParameterException(hasExpression ? "template" : "field",
                    "give exactly one of 'expression' and 'template'");
        }
        if (hasExpression) {
            Expression expression;
            try {
                expression = Expression.parse(parameters.string("expression"));
            } catch (ExpressionException e) {
                throw new ParameterException("expression", "'expression' at offset " + e.offset() + ": " + e.getMessage());
            }
            return (record, out) -> {
                record.set(field, expression.evaluate(record));
                out.emit(record);
            };
        }
        String missing = parameters.string("missing", "reject");
        if (!missing.equals("reject") && !missing.equals("empty")) {
            throw new ParameterException("missing", "'missing' must be 'reject' or 'empty', got '" + missing + "'");
        }
        List<String> parts = parseTemplate(parameters.string("template"));
        boolean rejectMissing = missing.equals("reject");
        return (record, out) -> {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                if (i % 2 == 0) {
                    text.append(part);
                    continue;
                }
                Object value = record.get(part);
                if (value == null && rejectMissing) {
                    throw new IllegalArgumentException("template field '" + part + "' has no value");
                }
                if (value != null) {
                    text.append(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
                }
            }
            record.set(field, text.toString());
            out.emit(record);
        };
    }

    /** Alternating literal text and placeholder paths, starting with text. */
    static List<String> parseTemplate(String template) {
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new ParameterException("template", "'template': '{' at offset " + i + " is not closed");
                }
                String path = template.substring(i + 1, end).strip();
                if (!path.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")) {
                    throw new ParameterException("template", "'template': '{" + path + "}' is not a field path");
                }
                parts.add(literal.toString());
                parts.add(path);
                literal.setLength(0);
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        parts.add(literal.toString());
        return parts;
    }
}
