package dev.midstream.reader;

import dev.midstream.model.Location;
import dev.midstream.model.Spelling;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the keys of one YAML mapping for {@link PipelineReader}, remembering which were asked for, so that
 * {@link #finish} can report every unknown key (with the nearest known one) instead of ignoring it.
 */
final class MappingReader {
    private final YamlNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    private MappingReader(YamlNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** A reader over {@code node}, or null (with a problem recorded) when it is not a mapping. */
    static MappingReader of(YamlNode node, String path, Problems problems) {
        if (node.kind() != YamlNode.Kind.MAPPING) {
            problems.add(node.location(), path, "expected a mapping, got " + node.describe(),
                    "write it as 'key: value' lines indented under '" + last(path) + "'");
            return null;
        }
        return new MappingReader(node, path, problems);
    }

    YamlNode get(String key) {
        known.add(key);
        YamlNode.Entry entry = node.entries().get(key);
        return entry == null || entry.value().kind() == YamlNode.Kind.NULL ? null : entry.value();
    }

    YamlNode required(String key, String hint) {
        YamlNode value = get(key);
        if (value == null) {
            problems.add(node.location(), child(key), "is missing", hint);
        }
        return value;
    }

    boolean has(String key) {
        return node.entries().containsKey(key);
    }

    Set<String> keys() {
        return node.entries().keySet();
    }

    Location location() {
        return node.location();
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    /** Reports every key of the mapping that no {@code get} asked for. */
    void finish() {
        problems.accepted(node.location(), known);
        for (YamlNode.Entry entry : node.entries().values()) {
            if (!known.contains(entry.key())) {
                String hint = Spelling.closest(known, entry.key())
                        .map(k -> "did you mean '" + k + "'?")
                        .orElse("expected one of " + List.copyOf(known));
                problems.add(entry.keyLocation(), child(entry.key()), "unknown key", hint);
            }
        }
    }

    private static String last(String path) {
        return path == null ? "" : path.substring(path.lastIndexOf('.') + 1);
    }
}
