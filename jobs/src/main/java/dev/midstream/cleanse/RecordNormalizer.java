package dev.midstream.cleanse;

import dev.midstream.model.NormalizeSpec;
import dev.midstream.record.FlowRecord;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Applies a pipeline's {@code normalize:} operations to its string fields. Never fails. */
public class RecordNormalizer implements MapFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final List<NormalizeSpec> fields;

    public RecordNormalizer(List<NormalizeSpec> fields) {
        this.fields = List.copyOf(fields);
    }

    @Override
    public FlowRecord map(FlowRecord record) {
        for (NormalizeSpec spec : fields) {
            Object value = record.data.get(spec.field());
            // most values arrive clean: each operation then returns the text it was given, and the field is left alone
            if (value instanceof String text) {
                String normalized = apply(text, spec.ops());
                if (normalized != text) {
                    record.data.set(spec.field(), normalized);
                }
            }
        }
        return record;
    }

    static String apply(String text, List<NormalizeSpec.Op> ops) {
        String result = text;
        for (NormalizeSpec.Op op : ops) {
            result = switch (op) {
                case TRIM -> result.strip();
                case LOWER -> result.toLowerCase(Locale.ROOT);
                case UPPER -> result.toUpperCase(Locale.ROOT);
                case DIGITS -> digitsOf(result);
                case COLLAPSE_SPACES -> collapseSpaces(result.strip());
            };
        }
        return result;
    }

    private static String collapseSpaces(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && isSpace(c) || c == ' ' && i + 1 < text.length() && isSpace(text.charAt(i + 1))) {
                return SPACES.matcher(text).replaceAll(" ");
            }
        }
        return text;
    }

    // the characters the pattern's \s matches (no UNICODE_CHARACTER_CLASS)
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    static String digitsOf(String text) {
        int first = 0;
        while (first < text.length() && isDigit(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder digits = new StringBuilder(text.length());
        digits.append(text, 0, first);
        for (int i = first + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
