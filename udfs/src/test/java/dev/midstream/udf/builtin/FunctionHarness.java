package dev.midstream.udf.builtin;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a built-in on records the way the platform does: created from parameters, opened, applied. */
final class FunctionHarness {
    private FunctionHarness() {}

    static List<Record> apply(RecordFunctionFactory factory, Map<String, ?> params, Record record) throws Exception {
        RecordFunction function = factory.create(new Parameters(params));
        List<Record> out = new ArrayList<>();
        function.apply(record, out::add);
        return out;
    }

    static ParameterException badParameters(RecordFunctionFactory factory, Map<String, ?> params) {
        return assertThrows(ParameterException.class, () -> factory.create(new Parameters(params)));
    }

    static Exception rejected(RecordFunctionFactory factory, Map<String, ?> params, Record record) {
        return assertThrows(Exception.class, () -> apply(factory, params, record));
    }
}
