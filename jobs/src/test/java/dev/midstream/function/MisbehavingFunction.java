package dev.midstream.function;

import dev.midstream.udf.Parameters;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

/**
 * A test function that misbehaves on demand, by the record's {@code mode}: {@code throw}, {@code null} (emits
 * null), {@code half} (emits a row, then throws), {@code drop} (emits nothing), {@code bad_type} (sets an
 * unsupported value), {@code split} (emits two rows), {@code crash} (a {@link StackOverflowError}: a function host
 * fails the whole batch), {@code slow} (300 ms, then passes it on); anything else passes the record through.
 */
public final class MisbehavingFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "misbehave";
    }

    @Override
    public String description() {
        return "test function that fails on demand";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly();
        return (record, out) -> {
            switch (String.valueOf(record.get("mode"))) {
                case "throw" -> throw new IllegalStateException("boom");
                case "null" -> out.emit(null);
                case "half" -> {
                    out.emit(record.copy());
                    throw new IllegalArgumentException("failed after one row");
                }
                case "drop" -> { }
                case "crash" -> throw new StackOverflowError("crashed on purpose");
                case "slow" -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    out.emit(record.set("slow", true));
                }
                case "bad_type" -> record.set("x", new Object());
                case "split" -> {
                    out.emit(record.copy().set("part", 1L));
                    out.emit(record.copy().set("part", 2L));
                }
                case "twice" -> {
                    out.emit(record);
                    out.emit(record);
                }
                default -> out.emit(record);
            }
        };
    }
}
