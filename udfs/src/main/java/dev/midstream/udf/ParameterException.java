package dev.midstream.udf;

/** A function parameter is missing or has the wrong shape; names the parameter, so the error can point at it. */
public class ParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String parameter;

    public ParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter's name, or null when the problem is not one parameter's. */
    public String parameter() {
        return parameter;
    }
}
