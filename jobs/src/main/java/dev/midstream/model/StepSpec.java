package dev.midstream.model;

import dev.midstream.udf.Expression;
import dev.midstream.udf.Parameters;

import java.io.Serializable;
import java.util.Map;

/**
 * A {@code transform:} step: a user function by name with its parameters, run in the job; a remote function
 * ({@code remote:}, {@link RemoteSpec}); or a mapping of output fields to expressions over the input ({@code map:};
 * renaming is {@code new_name: old_name}). A mapping step outputs only the mapped fields unless
 * {@code keep_unmapped} is set.
 */
public record StepSpec(String id, String function, Parameters parameters, Map<String, Expression> mapping,
        boolean keepUnmapped, RemoteSpec remote, Location location) implements Serializable {

    public StepSpec(String id, String function, Parameters parameters, Map<String, Expression> mapping,
            boolean keepUnmapped, Location location) {
        this(id, function, parameters, mapping, keepUnmapped, null, location);
    }

    public boolean isFunction() {
        return function != null;
    }

    public boolean isRemote() {
        return remote != null;
    }
}
