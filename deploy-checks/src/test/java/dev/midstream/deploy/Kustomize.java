package dev.midstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A kustomization as {@code kubectl kustomize} renders it: the real tool, so the checks see exactly what
 * {@code kubectl apply -k} would apply. Without kubectl on the PATH the checks that need it say what to install, and
 * fail when {@code CI=true}.
 */
final class Kustomize {
    private Kustomize() {}

    static List<ObjectNode> build(Path dir) {
        Environment.require("kubectl", "kubectl (1.32 or newer; kustomize is built in) is not on the PATH: install it"
                + " from https://kubernetes.io/docs/tasks/tools/ to render deploy/k8s overlays");
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
            }
            List<ObjectNode> resources = new ArrayList<>();
            try (MappingIterator<JsonNode> docs = Yaml.MAPPER.readerFor(JsonNode.class).readValues(out)) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && doc.isObject()) {
                        resources.add((ObjectNode) doc);
                    }
                }
            }
            return resources;
        } catch (IOException e) {
            throw new IllegalStateException("kubectl kustomize " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
