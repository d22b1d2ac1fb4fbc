package dev.midstream.udf;

/** An expression that does not parse (with the offset of the problem) or cannot be evaluated on a record. */
public class ExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public ExpressionException(int offset, String message) {
        super(message);
        this.offset = offset;
    }

    /** 0-based offset in the expression text. */
    public int offset() {
        return offset;
    }
}
