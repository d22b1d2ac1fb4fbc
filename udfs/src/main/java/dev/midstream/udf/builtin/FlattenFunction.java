package dev.midstream.udf.builtin;

import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import java.util.List;

/**
 * {@code flatten}: one output row per item of the list of records in {@code field}: the parent's other fields
 * plus the item's fields (with an optional {@code prefix}) and, if {@code index} is set, the item's position.
 * An empty list rejects the record unless {@code on_empty: keep} (then the parent passes without the list).
 */
public final class FlattenFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "flatten";
    }

    @Override
    public String description() {
        return "split a nested list of records into one row per item";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly("field", "prefix", "index", "on_empty");
        String field = parameters.string("field");
        String prefix = parameters.string("prefix", "");
        String index = parameters.string("index", null);
        String onEmpty = parameters.string("on_empty", "reject");
        if (!onEmpty.equals("reject") && !onEmpty.equals("keep")) {
            throw new ParameterException("on_empty", "'on_empty' must be 'reject' or 'keep', got '" + onEmpty + "'");
        }
        return (record, out) -> {
            List<Object> items = record.getList(field);
            Record parent = record.copy();
            parent.remove(field);
            if (items == null || items.isEmpty()) {
                if (onEmpty.equals("reject")) {
                    throw new IllegalArgumentException("'" + field + "' has no items to flatten");
                }
                out.emit(parent);
                return;
            }
            Record[] rows = new Record[items.size()];
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof Record item)) {
                    throw new IllegalArgumentException("item " + i + " of '" + field + "' is not an object");
                }
                Record row = parent.copy();
                for (String name : item.fieldNames()) {
                    if (row.has(prefix + name)) {
                        throw new IllegalArgumentException("item field '" + prefix + name
                                + "' collides with a field of the record; set 'prefix'");
                    }
                    row.set(prefix + name, item.get(name));
                }
                if (index != null) {
                    row.set(index, (long) i);
                }
                rows[i] = row;
            }
            for (Record row : rows) {
                out.emit(row);
            }
        };
    }
}
