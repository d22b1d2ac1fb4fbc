package dev.midstream.model;

import dev.midstream.udf.Expression;
import dev.midstream.udf.Parameters;

import java.io.Serializable;
import java.util.Map;

/**
 * A {@code transform:} step: either a user function by name with its parameters, or a mapping of output
 * fields to expressions over the input ({@code map:}; renaming is {@code new_name: old_name}). A mapping step
 * outputs only the mapped fields unless {@code keep_unmapped} is set.
 */
public record StepSpec(String id, String function, Parameters parameters, Map<String, Expression> mapping,
        boolean keepUnmapped, Location location) implements Serializable {

    public boolean isFunction() {
        return function != null;
    }
}
