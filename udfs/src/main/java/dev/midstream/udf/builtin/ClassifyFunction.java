package dev.midstream.udf.builtin;

import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code classify}: labels the number in {@code field} by ranges: the first class whose {@code below} is greater
 * than the value, else {@code otherwise}. An absent value gets {@code when_null}, if given.
 */
public final class ClassifyFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String description() {
        return "label a number by ranges";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly("field", "into", "classes", "otherwise", "when_null");
        String field = parameters.string("field");
        String into = parameters.string("into");
        String otherwise = parameters.string("otherwise");
        String whenNull = parameters.string("when_null", null);
        List<BigDecimal> bounds = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Object item : parameters.list("classes")) {
            if (!(item instanceof Map<?, ?> map)) {
                throw new ParameterException("classes", "'classes' must be a list of {below: <number>, label: <text>}");
            }
            @SuppressWarnings("unchecked")
            Parameters entry = new Parameters((Map<String, ?>) map);
            BigDecimal below;
            try {
                entry.allowOnly("below", "label");
                below = entry.decimal("below");
                labels.add(entry.string("label"));
            } catch (ParameterException e) {
                throw new ParameterException("classes", "'classes': " + e.getMessage());
            }
            if (!bounds.isEmpty() && below.compareTo(bounds.get(bounds.size() - 1)) <= 0) {
                throw new ParameterException("classes", "'classes' must be in ascending order of 'below'");
            }
            bounds.add(below);
        }
        if (bounds.isEmpty()) {
            throw new ParameterException("classes", "'classes' is empty");
        }
        return (record, out) -> {
            BigDecimal value = record.getDecimal(field);
            if (value == null) {
                if (whenNull != null) {
                    record.set(into, whenNull);
                }
            } else {
                String label = otherwise;
                for (int i = 0; i < bounds.size(); i++) {
                    if (value.compareTo(bounds.get(i)) < 0) {
                        label = labels.get(i);
                        break;
                    }
                }
                record.set(into, label);
            }
            out.emit(record);
        };
    }
}
