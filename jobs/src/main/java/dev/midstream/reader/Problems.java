package dev.midstream.reader;

import dev.midstream.model.Location;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Collects every problem of a pipeline file, so one run of {@code validate} shows them all. */
final class Problems {
    private final List<String> problems = new ArrayList<>();
    /** The keys each mapping of the file may hold, by the mapping's location (what the file's grammar is). */
    private final Map<Location, Set<String>> acceptedKeys = new LinkedHashMap<>();

    void accepted(Location mapping, Set<String> keys) {
        acceptedKeys.computeIfAbsent(mapping, k -> new TreeSet<>()).addAll(keys);
    }

    Map<Location, Set<String>> acceptedKeys() {
        return acceptedKeys;
    }

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
