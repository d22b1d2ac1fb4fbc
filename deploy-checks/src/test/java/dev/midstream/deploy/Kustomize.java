package dev.midstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the subset our manifests use: {@code resources}
 * (files and directories), {@code namespace}, {@code images} (new tag or name) and {@code patches} given as
 * strategic-merge files (objects merge, lists of named objects merge by name, other lists are replaced, null deletes).
 * A kustomization field outside that subset fails the render rather than being ignored.
 */
final class Kustomize {
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "images", "patches");

    private Kustomize() {}

    static List<ObjectNode> build(Path dir) {
        JsonNode k = Yaml.read(dir.resolve("kustomization.yaml"));
        k.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED.contains(f)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml: '" + f + "' is not supported by this renderer");
            }
        });
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                resources.addAll(build(p));
            } else {
                resources.add((ObjectNode) Yaml.read(p));
            }
        }
        for (JsonNode patch : k.path("patches")) {
            JsonNode doc = Yaml.read(dir.resolve(patch.path("path").asText()));
            ObjectNode target = resources.stream()
                    .filter(r -> r.path("kind").equals(doc.path("kind"))
                            && r.path("metadata").path("name").equals(doc.path("metadata").path("name")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(dir + ": patch " + patch + " matches no resource"));
            merge(target, doc);
        }
        for (JsonNode image : k.path("images")) {
            for (ObjectNode r : resources) {
                JsonNode spec = r.path("spec");
                String current = spec.path("image").asText("");
                int colon = current.lastIndexOf(':');
                String name = colon < 0 ? current : current.substring(0, colon);
                if (name.equals(image.path("name").asText())) {
                    String newName = image.path("newName").asText(name);
                    String tag = image.path("newTag").asText(colon < 0 ? "" : current.substring(colon + 1));
                    ((ObjectNode) spec).put("image", tag.isEmpty() ? newName : newName + ":" + tag);
                }
            }
        }
        if (k.has("namespace")) {
            resources.forEach(r -> ((ObjectNode) r.path("metadata")).put("namespace", k.get("namespace").asText()));
        }
        return resources;
    }

    static void merge(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode current = target.get(f.getKey());
            JsonNode change = f.getValue();
            if (change.isNull()) {
                target.remove(f.getKey());
            } else if (current != null && current.isObject() && change.isObject()) {
                merge((ObjectNode) current, change);
            } else if (current != null && current.isArray() && change.isArray() && named(current) && named(change)) {
                for (JsonNode item : change) {
                    ObjectNode match = null;
                    for (JsonNode existing : current) {
                        if (existing.path("name").equals(item.path("name"))) {
                            match = (ObjectNode) existing;
                        }
                    }
                    if (match == null) {
                        ((ArrayNode) current).add(item.deepCopy());
                    } else {
                        merge(match, item);
                    }
                }
            } else {
                target.set(f.getKey(), change.deepCopy());
            }
        }
    }

    private static boolean named(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject() || !item.path("name").isTextual()) {
                return false;
            }
        }
        return array.size() > 0;
    }
}
