package dev.midstream.udf;

/** A field holds a value of another type than the one asked for. */
public class FieldTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FieldTypeException(String path, Class<?> expected, Object actual) {
        super("field '" + path + "': expected " + expected.getSimpleName() + ", got "
                + actual.getClass().getSimpleName());
    }
}
