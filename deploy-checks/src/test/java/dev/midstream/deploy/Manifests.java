package dev.midstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shipped manifests, found rather than listed, so a new one is checked without editing the tests. */
final class Manifests {
    static final List<String> OVERLAYS = List.of("dev", "prod");

    private Manifests() {}

    /** Repository-relative paths of every manifest file under deploy/k8s (kustomizations and components excluded). */
    static List<String> files() {
        Path k8s = Yaml.repo("deploy/k8s");
        try (Stream<Path> walk = Files.walk(k8s)) {
            return walk.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")
                            && !p.startsWith(k8s.resolve("components")))
                    .map(p -> "deploy/" + Yaml.repo("deploy").relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The complete resources: the base's and the session cluster's (overlay files are patches). */
    static List<String> resources() {
        return files().stream().filter(f -> !f.startsWith("deploy/k8s/overlays/")).toList();
    }

    /** The base's FlinkDeployments, as its kustomization lists them. */
    static List<ObjectNode> base() {
        return Kustomize.build(Yaml.repo("deploy/k8s/base"));
    }

    static List<ObjectNode> rendered(String overlay) {
        return Kustomize.build(Yaml.repo("deploy/k8s/overlays/" + overlay));
    }

    /** Every job that runs: base, each rendered overlay and the session jobs, with where it came from. */
    static List<Named> jobs() {
        List<Named> jobs = new ArrayList<>();
        base().forEach(r -> jobs.add(new Named("base " + name(r), r)));
        for (String overlay : OVERLAYS) {
            rendered(overlay).forEach(r -> jobs.add(new Named("overlay " + overlay + " " + name(r), r)));
        }
        for (String file : resources()) {
            JsonNode r = Yaml.read(Yaml.repo(file));
            if (r.path("kind").asText().equals("FlinkSessionJob")) {
                jobs.add(new Named(file, r));
            }
        }
        return jobs;
    }

    record Named(String where, JsonNode resource) {}

    static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }
}
