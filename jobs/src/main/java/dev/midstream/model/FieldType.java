package dev.midstream.model;

import java.io.Serializable;
import java.util.List;

/** The declared type of a schema field: {@code string}, {@code long}, {@code decimal(p,s)}, {@code boolean},
 * {@code timestamp}, {@code object} (with {@code fields}) or {@code array} (with {@code items}). */
public record FieldType(Kind kind, int precision, int scale, List<FieldSpec> fields, FieldType items)
        implements Serializable {

    public enum Kind { STRING, LONG, DECIMAL, BOOLEAN, TIMESTAMP, OBJECT, ARRAY }

    public static FieldType of(Kind kind) {
        return new FieldType(kind, 0, 0, List.of(), null);
    }

    public static FieldType decimal(int precision, int scale) {
        return new FieldType(Kind.DECIMAL, precision, scale, List.of(), null);
    }

    public static FieldType object(List<FieldSpec> fields) {
        return new FieldType(Kind.OBJECT, 0, 0, List.copyOf(fields), null);
    }

    public static FieldType array(FieldType items) {
        return new FieldType(Kind.ARRAY, 0, 0, List.of(), items);
    }

    /** The PostgreSQL column type for this field. */
    public String sqlType() {
        return switch (kind) {
            case STRING -> "text";
            case LONG -> "bigint";
            case DECIMAL -> "numeric(" + precision + "," + scale + ")";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamptz";
            case OBJECT, ARRAY -> "jsonb";
        };
    }

    /** As written in a pipeline file; used in messages and in {@code validate --against}. */
    @Override
    public String toString() {
        return switch (kind) {
            case DECIMAL -> "decimal(" + precision + "," + scale + ")";
            case ARRAY -> "array<" + items + ">";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
