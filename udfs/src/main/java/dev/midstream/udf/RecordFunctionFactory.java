package dev.midstream.udf;

/**
 * Creates a {@link RecordFunction} from its parameters. Implementations are listed in
 * {@code META-INF/services/dev.midstream.udf.RecordFunctionFactory} of the jar that holds them.
 *
 * <p>{@link #create} is called when a pipeline file is validated (before the job starts) and again on each
 * parallel subtask: it must check every parameter, throwing {@link ParameterException} for a bad one, and
 * must not open connections or files (that is {@link RecordFunction#open}'s job).
 */
public interface RecordFunctionFactory {

    /** The name pipeline files use, e.g. {@code convert_currency}. Lowercase, digits and underscores. */
    String name();

    /** One line for {@code validate --functions} and the README. */
    String description();

    RecordFunction create(Parameters parameters);
}
