package dev.midstream.deploy;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

/** Every manifest under deploy/k8s, and every rendered overlay, against the operator's CRD schemas, strictly. */
class ManifestSchemaTest {
    // flink-kubernetes-operator-api 1.10.0 is the newest on Maven Central and its flinkVersion enum stops at v1_20.
    // Operators that run Flink 2.0 accept v2_0; that one value is added, nothing else is relaxed.
    static final CrdSchema DEPLOYMENT = CrdSchema.fromOperatorApi("flinkdeployments.flink.apache.org", "v1beta1")
            .widenEnum(List.of("spec", "flinkVersion"), "v2_0");
    static final CrdSchema SESSION_JOB = CrdSchema.fromOperatorApi("flinksessionjobs.flink.apache.org", "v1beta1");

    static CrdSchema schemaFor(JsonNode resource) {
        return switch (resource.path("kind").asText()) {
            case "FlinkDeployment" -> DEPLOYMENT;
            case "FlinkSessionJob" -> SESSION_JOB;
            default -> throw new AssertionError("no schema for kind " + resource.path("kind"));
        };
    }

    private static void assertValid(String what, JsonNode resource) {
        List<String> problems = schemaFor(resource).validate(resource);
        assertTrue(problems.isEmpty(), what + " is invalid:\n  " + String.join("\n  ", problems));
    }

    static List<String> resources() {
        List<String> files = Manifests.resources();
        assertTrue(files.size() >= 6, "found " + files);
        return files;
    }

    @ParameterizedTest
    @MethodSource("resources")
    void manifestMatchesTheCrd(String file) {
        assertValid(file, Yaml.read(Yaml.repo(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void renderedOverlayMatchesTheCrd(String overlay) {
        List<ObjectNode> rendered = Manifests.rendered(overlay);
        assertEquals(List.of("orders-cleanse", "customers-cleanse", "sales-transform"),
                rendered.stream().map(Manifests::name).toList());
        rendered.forEach(r -> assertValid("overlay " + overlay + " " + Manifests.name(r), r));
    }

    private static JsonNode named(List<ObjectNode> resources, String name) {
        return resources.stream().filter(r -> Manifests.name(r).equals(name)).findFirst().orElseThrow();
    }

    @Test
    void overlaysChangeWhatTheySayTheyChange() {
        JsonNode prod = named(Manifests.rendered("prod"), "orders-cleanse");
        JsonNode dev = named(Manifests.rendered("dev"), "orders-cleanse");
        assertEquals("registry.example.com/midstream:0.1.0", prod.at("/spec/image").asText());
        assertEquals("registry.example.com/midstream:0.1.0-dev", dev.at("/spec/image").asText());
        assertEquals(4, prod.at("/spec/job/parallelism").asInt());
        assertEquals(1, dev.at("/spec/job/parallelism").asInt());
        assertEquals("s3://midstream-state-dev/checkpoints", dev.at("/spec/flinkConfiguration/execution.checkpointing.dir").asText());
        assertEquals("midstream", prod.at("/metadata/namespace").asText());
        assertEquals("savepoint", prod.at("/spec/job/upgradeMode").asText(), "base settings survive the patch");
        assertEquals(2, prod.at("/spec/podTemplate/spec/containers/0/env").size(), "secrets stay referenced");
        JsonNode sales = named(Manifests.rendered("prod"), "sales-transform");
        assertEquals("registry.example.com/midstream:0.1.0", sales.at("/spec/image").asText());
        assertEquals("dev.midstream.job.TransformJob", sales.at("/spec/job/entryClass").asText());
        assertEquals(1, sales.at("/spec/podTemplate/spec/containers/0/env").size(), "only the database password");
        for (String overlay : Manifests.OVERLAYS) {
            for (JsonNode r : Manifests.rendered(overlay)) {
                assertTrue(r.at("/spec/job/args").toString().contains("/opt/midstream/pipelines/"),
                        overlay + " " + Manifests.name(r) + ": the patched args still name the job's file");
            }
        }
    }

    @Test
    void noSecretValueIsWrittenInAManifest() {
        for (String file : resources()) {
            for (JsonNode env : Yaml.read(Yaml.repo(file)).at("/spec/podTemplate/spec/containers/0/env")) {
                assertFalse(env.has("value"), file + ": " + env.path("name") + " must come from a Secret");
                assertTrue(env.at("/valueFrom/secretKeyRef/name").isTextual(), file + ": " + env);
            }
        }
    }

    // Deliberately broken inputs: each must be reported, naming the path.

    private static ObjectNode base() {
        return (ObjectNode) Yaml.read(Yaml.repo("deploy/k8s/base/orders-cleanse.yaml"));
    }

    private static List<String> problemsAfter(java.util.function.Consumer<ObjectNode> breakIt) {
        ObjectNode manifest = base();
        breakIt.accept(manifest);
        return DEPLOYMENT.validate(manifest);
    }

    @Test
    void unknownFieldIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec/job")).put("upgradMode", "savepoint"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.job.upgradMode: unknown field"), problems.toString());
    }

    @Test
    void wrongTypeIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec/flinkConfiguration")).put("parallelism.default", 2));
        assertEquals(List.of("spec.flinkConfiguration.parallelism.default: expected a string, got number 2 (quote it)"), problems);
    }

    @Test
    void valueOutsideTheEnumIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec/job")).put("upgradeMode", "snapshot"));
        assertTrue(problems.get(0).startsWith("spec.job.upgradeMode: 'snapshot' is not one of"), problems.toString());
    }

    @Test
    void onlyTheFlink20VersionWasAddedToTheEnum() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec")).put("flinkVersion", "v2_1"));
        assertEquals(1, problems.size(), problems.toString());
    }

    @Test
    void brokenPodTemplateIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec/podTemplate/spec/containers/0/env/0"))
                .put("valueFromm", "x"));
        assertTrue(problems.get(0).startsWith("spec.podTemplate.spec.containers[0].env[0].valueFromm: unknown field"),
                problems.toString());
    }

    @Test
    void missingNameIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.get("metadata")).remove("name"));
        assertEquals(List.of("metadata.name: required"), problems);
    }

    @Test
    void unsupportedKustomizeFeatureFailsTheRender(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nreplicas: []\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Kustomize.build(dir));
        assertTrue(e.getMessage().contains("'replicas' is not supported"), e.getMessage());
    }
}
