package dev.midstream.udf;

/** What a function may ask of the platform when it opens. */
public interface FunctionContext {

    /** The pipeline the function runs in, e.g. {@code customers}. */
    String pipeline();

    /** The step's declared id in the pipeline file. */
    String step();

    Parameters parameters();

    /** A counter shown with the job's metrics as {@code midstream.udf.<step>.<name>}. */
    Counter counter(String name);

    @FunctionalInterface
    interface Counter {
        void inc();
    }
}
