package dev.midstream.udf.builtin;

import dev.midstream.udf.Parameters;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lookup}: maps the code in {@code field} through {@code table} into {@code into} (default: the field
 * itself). A code not in the table takes {@code default}, or rejects the record when there is none.
 */
public final class LookupFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "lookup";
    }

    @Override
    public String description() {
        return "map a code through a table from the pipeline file";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly("field", "table", "into", "default", "ignore_case");
        String field = parameters.string("field");
        String into = parameters.string("into", field);
        String fallback = parameters.string("default", null);
        boolean ignoreCase = parameters.bool("ignore_case", false);
        Map<String, String> table = new HashMap<>();
        parameters.stringMap("table").forEach((k, v) -> table.put(ignoreCase ? k.toLowerCase(Locale.ROOT) : k, v));
        return (record, out) -> {
            Object value = record.get(field);
            if (value != null) {
                String code = value.toString();
                String mapped = table.get(ignoreCase ? code.toLowerCase(Locale.ROOT) : code);
                if (mapped == null) {
                    if (fallback == null) {
                        throw new IllegalArgumentException("no mapping for " + field + " value '" + code + "'");
                    }
                    mapped = fallback;
                }
                record.set(into, mapped);
            }
            out.emit(record);
        };
    }
}
