package dev.midstream.cleanse;

import dev.midstream.model.NormalizeSpec;
import dev.midstream.record.FlowRecord;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.List;
import java.util.Locale;

/** Applies a pipeline's {@code normalize:} operations to its string fields. Never fails. */
public class RecordNormalizer implements MapFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final List<NormalizeSpec> fields;

    public RecordNormalizer(List<NormalizeSpec> fields) {
        this.fields = List.copyOf(fields);
    }

    @Override
    public FlowRecord map(FlowRecord record) {
        for (NormalizeSpec spec : fields) {
            Object value = record.data.get(spec.field());
            if (value instanceof String text) {
                record.data.set(spec.field(), apply(text, spec.ops()));
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
                case COLLAPSE_SPACES -> result.strip().replaceAll("\\s+", " ");
            };
        }
        return result;
    }

    static String digitsOf(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }
}
