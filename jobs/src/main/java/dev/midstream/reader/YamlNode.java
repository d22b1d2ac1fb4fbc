package dev.midstream.reader;

import dev.midstream.model.Location;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node that knows where it stands in its file. Built from SnakeYAML's node graph (not its object
 * mapping), so every value, key and item keeps its line and column for error messages.
 */
public final class YamlNode {
    public enum Kind { SCALAR, MAPPING, SEQUENCE, NULL }

    private final Kind kind;
    private final Location location;
    private final String text;
    private final boolean quoted;
    private final LinkedHashMap<String, Entry> entries;
    private final List<YamlNode> items;

    /** A mapping entry: the key's own location (for "unknown key" errors) and the value. */
    public record Entry(String key, Location keyLocation, YamlNode value) {}

    private YamlNode(Kind kind, Location location, String text, boolean quoted,
            LinkedHashMap<String, Entry> entries, List<YamlNode> items) {
        this.kind = kind;
        this.location = location;
        this.text = text;
        this.quoted = quoted;
        this.entries = entries;
        this.items = items;
    }

    /** @throws PipelineException if the file cannot be read or is not well-formed YAML */
    public static YamlNode load(Path file) {
        String name = file.toString();
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw PipelineException.single(new Location(name, 1, 1), "cannot read the file: " + e.getMessage(),
                    "check the path given to --pipeline");
        }
        return parse(name, content);
    }

    public static YamlNode parse(String fileName, String content) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Node root;
        try (Reader reader = new StringReader(content)) {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw PipelineException.single(
                    new Location(fileName, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1),
                    "not valid YAML: " + e.getProblem(), "fix the YAML syntax at this position");
        } catch (IOException | RuntimeException e) {
            throw PipelineException.single(new Location(fileName, 1, 1), "not valid YAML: " + e.getMessage(),
                    "fix the YAML syntax");
        }
        if (root == null) {
            throw PipelineException.single(new Location(fileName, 1, 1), "the file is empty",
                    "start with 'pipeline: <name>'; see the example in the README");
        }
        return convert(fileName, root);
    }

    private static YamlNode convert(String file, Node node) {
        Location location = new Location(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
        if (node instanceof ScalarNode scalar) {
            boolean quoted = scalar.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
            if (!quoted && scalar.getTag().equals(Tag.NULL)) {
                return new YamlNode(Kind.NULL, location, null, false, null, null);
            }
            return new YamlNode(Kind.SCALAR, location, scalar.getValue(), quoted, null, null);
        }
        if (node instanceof SequenceNode sequence) {
            List<YamlNode> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                items.add(convert(file, item));
            }
            return new YamlNode(Kind.SEQUENCE, location, null, false, null, items);
        }
        MappingNode mapping = (MappingNode) node;
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            YamlNode key = convert(file, tuple.getKeyNode());
            if (key.kind != Kind.SCALAR) {
                throw PipelineException.single(key.location, "a key must be a plain name",
                        "write 'name: value'");
            }
            if (entries.containsKey(key.text)) {
                throw PipelineException.single(key.location, "'" + key.text + "' appears twice in this mapping",
                        "keep one; YAML does not merge repeated keys");
            }
            entries.put(key.text, new Entry(key.text, key.location, convert(file, tuple.getValueNode())));
        }
        return new YamlNode(Kind.MAPPING, location, null, false, entries, null);
    }

    public Kind kind() {
        return kind;
    }

    public Location location() {
        return location;
    }

    /** The scalar's text as written (without quotes); null unless a scalar. */
    public String text() {
        return text;
    }

    /** True for a quoted scalar: {@code '10'} is text, {@code 10} is a number. */
    public boolean quoted() {
        return quoted;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public List<YamlNode> items() {
        return items;
    }

    /** What the node is, for "expected …, got …" messages. */
    public String describe() {
        return switch (kind) {
            case NULL -> "nothing";
            case MAPPING -> "a mapping";
            case SEQUENCE -> "a list";
            case SCALAR -> "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
        };
    }
}
