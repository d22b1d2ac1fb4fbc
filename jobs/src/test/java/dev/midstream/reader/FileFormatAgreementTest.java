package dev.midstream.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.model.Location;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One source of truth for the shape of Midstream's YAML files: in every mapping of every file checked, the keys
 * the reader accepts are exactly the properties the published JSON Schema allows there, and every property the
 * schemas declare is used by at least one of the files (so a key added to one side and not the other fails here).
 * The files: everything shipped in {@code pipelines/}, the test pipelines, and one file per format that uses every
 * key ({@code src/test/resources/pipelines/every-key*.yaml}).
 */
class FileFormatAgreementTest {
    private static final Map<String, String> ENV = Map.of("MIDSTREAM_PII_SALT", "0123456789abcdef0123456789abcdef",
            "OTHER_SALT", "another-salt-of-16-bytes-or-more");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A mapping of a file at which the schema allows a fixed set of keys, and the schema object that says so. */
    private record FixedMapping(Location at, Set<String> allowed, List<String> declaredAt) {}

    @Test
    void pipelineFilesAndTheirSchemaAgreeKeyByKey() throws Exception {
        JsonNode schema = JSON.readTree(Path.of("../pipelines/pipeline.schema.json").toFile());
        List<Path> files = new ArrayList<>(List.of(Path.of("src/test/resources/pipelines/every-key.yaml"),
                Path.of("src/test/resources/pipelines/payments.yaml")));
        files.addAll(shipped(false));
        agree(schema, files, file -> PipelineReader.acceptedKeys(file, ENV::get, PipelineReaderTest.FUNCTIONS));
    }

    @Test
    void transformFilesAndTheirSchemaAgreeKeyByKey() throws Exception {
        JsonNode schema = JSON.readTree(Path.of("../pipelines/transform.schema.json").toFile());
        List<Path> files = new ArrayList<>(List.of(Path.of("src/test/resources/pipelines/every-key-transform.yaml")));
        files.addAll(shipped(true));
        agree(schema, files, TransformFileReader::acceptedKeys);
    }

    private interface Reader {
        Map<Location, Set<String>> acceptedKeys(Path file) throws Exception;
    }

    private static List<Path> shipped(boolean transforms) throws Exception {
        try (var files = Files.list(Path.of("../pipelines"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .filter(f -> transforms == isTransformFile(f)).toList();
        }
    }

    private static boolean isTransformFile(Path file) {
        YamlNode root = YamlNode.load(file);
        return root.entries().containsKey("transform") && !root.entries().containsKey("pipeline");
    }

    private static void agree(JsonNode schema, List<Path> files, Reader reader) throws Exception {
        Map<String, Set<String>> used = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        for (Path file : files) {
            List<FixedMapping> fixed = new ArrayList<>();
            walk(schema, schema, YamlNode.load(file), "", fixed, used);
            Map<Location, Set<String>> accepted = reader.acceptedKeys(file);
            for (FixedMapping mapping : fixed) {
                Set<String> read = accepted.get(mapping.at());
                if (read == null) {
                    disagreements.add(mapping.at() + ": the reader does not check the keys of this mapping; the schema"
                            + " allows " + mapping.allowed());
                } else if (!read.equals(mapping.allowed())) {
                    Set<String> onlyReader = new TreeSet<>(read);
                    onlyReader.removeAll(mapping.allowed());
                    Set<String> onlySchema = new TreeSet<>(mapping.allowed());
                    onlySchema.removeAll(read);
                    disagreements.add(mapping.at() + " (" + mapping.declaredAt() + "): only the reader accepts "
                            + onlyReader + ", only the schema " + onlySchema);
                }
            }
        }
        assertEquals(List.of(), disagreements);
        Map<String, Set<String>> declared = new TreeMap<>();
        collectDeclared(schema, schema, "", declared, new TreeSet<>());
        Map<String, Set<String>> unused = new TreeMap<>();
        declared.forEach((pointer, keys) -> {
            Set<String> missing = new TreeSet<>(keys);
            missing.removeAll(used.getOrDefault(pointer, Set.of()));
            if (!missing.isEmpty()) {
                unused.put(pointer, missing);
            }
        });
        assertEquals(Map.of(), unused, "schema properties no checked file uses; add them to the every-key file");
        assertTrue(declared.size() > 5, declared.toString());
    }

    /** Follows the document and the schema together, recording each mapping whose keys the schema fixes. */
    private static void walk(JsonNode root, JsonNode schema, YamlNode node, String pointer, List<FixedMapping> fixed,
            Map<String, Set<String>> used) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText().substring(1);
            walk(root, root.at(ref), node, ref, fixed, used);
            return;
        }
        List<JsonNode> parts = new ArrayList<>(List.of(schema));
        List<String> pointers = new ArrayList<>(List.of(pointer));
        JsonNode oneOf = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
        if (oneOf != null) {
            for (int i = 0; i < oneOf.size(); i++) {
                JsonNode branch = resolve(root, oneOf.get(i));
                if (applies(branch, node)) {
                    parts.add(branch);
                    pointers.add(oneOf.get(i).has("$ref") ? oneOf.get(i).get("$ref").asText().substring(1)
                            : pointer + (schema.has("oneOf") ? "/oneOf/" : "/anyOf/") + i);
                }
            }
        }
        if (node.kind() == YamlNode.Kind.MAPPING) {
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            Map<String, String> owner = new LinkedHashMap<>();
            JsonNode additional = null;
            boolean closed = false;
            for (int i = 0; i < parts.size(); i++) {
                JsonNode part = parts.get(i);
                for (Iterator<Map.Entry<String, JsonNode>> it = part.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    properties.put(property.getKey(), property.getValue());
                    owner.put(property.getKey(), pointers.get(i) + "/properties");
                }
                if (part.has("additionalProperties")) {
                    closed |= part.get("additionalProperties").isBoolean() && !part.get("additionalProperties").asBoolean();
                    if (part.get("additionalProperties").isObject()) {
                        additional = part.get("additionalProperties");
                    }
                }
            }
            if (closed && !properties.isEmpty()) {
                fixed.add(new FixedMapping(node.location(), new TreeSet<>(properties.keySet()),
                        owner.values().stream().distinct().toList()));
            }
            for (YamlNode.Entry entry : node.entries().values()) {
                JsonNode child = properties.get(entry.key());
                if (child != null) {
                    used.computeIfAbsent(owner.get(entry.key()), k -> new TreeSet<>()).add(entry.key());
                    walk(root, child, entry.value(), owner.get(entry.key()) + "/" + entry.key(), fixed, used);
                } else if (additional != null) {
                    walk(root, additional, entry.value(), pointer + "/additionalProperties", fixed, used);
                }
            }
        } else if (node.kind() == YamlNode.Kind.SEQUENCE) {
            for (JsonNode part : parts) {
                if (part.has("items")) {
                    for (YamlNode item : node.items()) {
                        walk(root, part.get("items"), item, pointer + "/items", fixed, used);
                    }
                }
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        return schema.has("$ref") ? resolve(root, root.at(schema.get("$ref").asText().substring(1))) : schema;
    }

    /** Whether a oneOf branch describes this node: by its type, and by the keys it requires. */
    private static boolean applies(JsonNode branch, YamlNode node) {
        String type = branch.path("type").asText("");
        boolean kind = switch (type) {
            case "object" -> node.kind() == YamlNode.Kind.MAPPING;
            case "array" -> node.kind() == YamlNode.Kind.SEQUENCE;
            case "" -> true;
            default -> node.kind() == YamlNode.Kind.SCALAR;
        };
        if (!kind) {
            return false;
        }
        for (JsonNode required : branch.path("required")) {
            if (node.kind() != YamlNode.Kind.MAPPING || !node.entries().containsKey(required.asText())) {
                return false;
            }
        }
        return true;
    }

    /** Every closed set of properties the schema declares, by the JSON pointer of its {@code properties}. */
    private static void collectDeclared(JsonNode root, JsonNode schema, String pointer, Map<String, Set<String>> out,
            Set<String> seen) {
        if (schema == null || !schema.isObject() || !seen.add(pointer)) {
            return;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText().substring(1);
            collectDeclared(root, root.at(ref), ref, out, seen);
            return;
        }
        if (schema.has("properties")) {
            Set<String> keys = new TreeSet<>();
            schema.get("properties").fieldNames().forEachRemaining(keys::add);
            out.put(pointer + "/properties", keys);
            schema.get("properties").fields().forEachRemaining(p ->
                    collectDeclared(root, p.getValue(), pointer + "/properties/" + p.getKey(), out, seen));
        }
        for (String key : List.of("items", "additionalProperties")) {
            if (schema.has(key)) {
                collectDeclared(root, schema.get(key), pointer + "/" + key, out, seen);
            }
        }
        for (String key : List.of("oneOf", "anyOf")) {
            for (int i = 0; i < schema.path(key).size(); i++) {
                collectDeclared(root, schema.get(key).get(i), pointer + "/" + key + "/" + i, out, seen);
            }
        }
    }
}
