package dev.midstream.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a pipeline file, so one run of {@code validate} shows them all. */
final class Problems {
    private final List<String> problems = new ArrayList<>();

    void add(Location location, String field, String message, String hint) {
        problems.add(format(location, field, message, hint));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new PipelineException(problems);
        }
    }

    static String format(Location location, String field, String message, String hint) {
        return location + ": " + (field == null ? "" : field + ": ") + message + (hint == null ? "" : "; " + hint);
    }
}
