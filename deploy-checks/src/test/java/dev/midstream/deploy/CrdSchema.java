package dev.midstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Strict validation of a custom resource against its CRD's OpenAPI v3 schema, as the Flink Kubernetes Operator's
 * CRDs define it (the release's Helm chart, and flink-kubernetes-operator-api on Maven Central). Stricter than the API server's default pruning:
 * a field the schema does not list is an error, not silently dropped.
 */
final class CrdSchema {
    /** ObjectMeta fields a manifest may set; the API server owns the rest. */
    private static final java.util.Set<String> METADATA_FIELDS =
            java.util.Set.of("name", "namespace", "labels", "annotations", "generateName", "finalizers", "ownerReferences");

    private final String apiVersion;
    private final String kind;
    private final JsonNode root;

    private CrdSchema(String apiVersion, String kind, JsonNode root) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.root = root;
    }

    /** The schema of {@code version} in {@code META-INF/fabric8/<crd>-v1.yml} of the operator API jar. */
    static CrdSchema fromOperatorApi(String crd, String version) {
        String resource = "/META-INF/fabric8/" + crd + "-v1.yml";
        try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (flink-kubernetes-operator-api)");
            }
            return of(Yaml.read(in), version, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema of {@code version} in a published CRD file (e.g. the operator release's Helm chart). */
    static CrdSchema fromFile(java.nio.file.Path file, String version) {
        return of(Yaml.read(file), version, file.toString());
    }

    private static CrdSchema of(JsonNode definition, String version, String source) {
        for (JsonNode v : definition.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                return new CrdSchema(definition.path("spec").path("group").asText() + "/" + version,
                        definition.path("spec").path("names").path("kind").asText(),
                        v.path("schema").path("openAPIV3Schema").deepCopy());
            }
        }
        throw new IllegalStateException(source + " has no version " + version);
    }

    /** Adds values to an enum at {@code path} (property names from the root), e.g. a Flink version newer than the CRD. */
    CrdSchema widenEnum(List<String> path, String... values) {
        JsonNode node = root;
        for (String p : path) {
            node = node.path("properties").path(p);
        }
        ArrayNode allowed = (ArrayNode) node.get("enum");
        if (allowed == null) {
            throw new IllegalStateException("no enum at " + path);
        }
        for (String v : values) {
            allowed.add(v);
        }
        return this;
    }

    /** Every problem, each as {@code <path>: <what is wrong>}; empty if the resource is valid. */
    List<String> validate(JsonNode resource) {
        // apiVersion, kind and metadata are every object's, checked by the API server, not in the CRD schema.
        List<String> problems = new ArrayList<>();
        if (!apiVersion.equals(resource.path("apiVersion").asText())) {
            problems.add("apiVersion: expected " + apiVersion + ", got " + resource.path("apiVersion"));
        }
        if (!kind.equals(resource.path("kind").asText())) {
            problems.add("kind: expected " + kind + ", got " + resource.path("kind"));
        }
        JsonNode metadata = resource.path("metadata");
        if (!metadata.path("name").isTextual()) {
            problems.add("metadata.name: required");
        }
        metadata.fieldNames().forEachRemaining(f -> {
            if (!METADATA_FIELDS.contains(f)) {
                problems.add("metadata." + f + ": unknown field (allowed: " + new java.util.TreeSet<>(METADATA_FIELDS) + ")");
            }
        });
        ObjectNode body = resource.deepCopy();
        body.remove(List.of("apiVersion", "kind", "metadata"));
        check(root, body, "", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        String where = path.isEmpty() ? "(root)" : path;
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(where + ": expected an integer or a string, got " + kind(value));
            }
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(where + ": must not be null");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(schema, value, path, problems);
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + ": expected an array, got " + kind(value));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(where + ": expected a string, got " + kind(value) + " (quote it)");
                } else if (schema.has("enum") && !contains(schema.get("enum"), value.asText())) {
                    problems.add(where + ": '" + value.asText() + "' is not one of " + schema.get("enum"));
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(where + ": expected an integer, got " + kind(value));
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(where + ": expected a number, got " + kind(value));
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(where + ": expected true or false, got " + kind(value));
                }
            }
            case "" -> {
                if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) && !schema.isEmpty()) {
                    problems.add(where + ": schema without a type: " + schema);
                }
            }
            default -> problems.add(where + ": unsupported schema type " + type);
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> problems) {
        String where = path.isEmpty() ? "(root)" : path;
        if (!value.isObject()) {
            problems.add(where + ": expected an object, got " + kind(value));
            return;
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(prefix(path) + required.asText() + ": required");
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = prefix(path) + field.getKey();
            if (properties != null && properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), child, problems);
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), child, problems);
            } else if (properties != null && !preserveUnknown) {
                problems.add(child + ": unknown field (allowed: " + names(properties) + ")");
            }
        }
    }

    private static String prefix(String path) {
        return path.isEmpty() ? "" : path + ".";
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode n : array) {
            if (n.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase() + " " + value;
    }
}
