package dev.midstream.model;

import java.io.Serializable;
import java.util.List;

/**
 * One field of a data set's schema. {@code defaultValue} (already of the field's record type) fills an absent
 * optional field; {@code maxLength} applies to strings.
 */
public record FieldSpec(String name, FieldType type, boolean required, Object defaultValue, Integer maxLength,
        Location location) implements Serializable {
    public FieldSpec {
        // interned, also as a task deserializes it: records then find the name by identity (FieldNames)
        name = name.intern();
    }

    /** The field at a dotted path through object fields, or null. */
    public static FieldSpec find(List<FieldSpec> fields, String path) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        for (FieldSpec field : fields) {
            if (field.name().equals(head)) {
                if (dot < 0) {
                    return field;
                }
                return field.type().kind() == FieldType.Kind.OBJECT ? find(field.type().fields(), path.substring(dot + 1))
                        : null;
            }
        }
        return null;
    }

}
