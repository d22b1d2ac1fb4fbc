package dev.midstream.udf;

/**
 * A user function: one record in, zero or more records out. Runs inside a Flink operator, one instance per
 * parallel subtask: {@link #open} once before the first record, {@link #apply} per record, {@link #close} at the
 * end. An instance is used by one thread only.
 *
 * <p>{@code apply} may change and emit its input record (more than once: the platform copies repeats). It must not
 * keep a record it was given or emitted once it returns: records go on to the next operators without copies and
 * are changed there. To reject a record, throw: the platform sends it to
 * dead letters (stage {@code udf:<name>}, with the exception's message) and goes on with the next one. A
 * record emitted with an unsupported value type is rejected the same way.
 *
 * <p>Functions are created by a {@link RecordFunctionFactory}, found with {@link java.util.ServiceLoader} and
 * referenced by {@link RecordFunctionFactory#name()} from pipeline files.
 */
public interface RecordFunction {

    default void open(FunctionContext context) throws Exception {}

    void apply(Record record, Emitter out) throws Exception;

    default void close() throws Exception {}

    /** Where a function's output goes. */
    @FunctionalInterface
    interface Emitter {
        void emit(Record record);
    }
}
