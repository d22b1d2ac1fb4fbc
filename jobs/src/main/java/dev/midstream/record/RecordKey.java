package dev.midstream.record;

import org.apache.flink.api.java.functions.KeySelector;

import java.util.List;

/** The key of a record as one string: each key field's value followed by a NUL, which no valid value contains. */
public final class RecordKey {
    private RecordKey() {}

    public static KeySelector<FlowRecord, String> of(List<String> fields) {
        List<String> copy = List.copyOf(fields);
        return record -> {
            StringBuilder key = new StringBuilder();
            for (String field : copy) {
                key.append(record.data.get(field)).append('\u0000');
            }
            return key.toString();
        };
    }
}
