package dev.midstream.host;

import dev.midstream.udf.Parameters;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

/**
 * A test function: throws for a record whose {@code mode} is {@code throw}, crashes (an {@link Error}) for
 * {@code crash}, counts {@code seen}; emits the record otherwise.
 */
public final class CrashingFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "crashing";
    }

    @Override
    public String description() {
        return "test function that throws or crashes on demand";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly("limit");
        long limit = parameters.integer("limit", Long.MAX_VALUE);
        return new RecordFunction() {
            private dev.midstream.udf.FunctionContext.Counter seen;

            @Override
            public void open(dev.midstream.udf.FunctionContext context) {
                seen = context.counter("seen");
            }

            @Override
            public void apply(dev.midstream.udf.Record record, Emitter out) {
                seen.inc();
                switch (String.valueOf(record.get("mode"))) {
                    case "throw" -> throw new IllegalArgumentException("no mode for you");
                    case "crash" -> throw new StackOverflowError("deep");
                    default -> out.emit(record.set("limit", limit));
                }
            }
        };
    }
}
