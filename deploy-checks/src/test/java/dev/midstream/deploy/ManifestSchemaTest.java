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

/**
 * Every manifest under deploy/k8s, and every overlay as {@code kubectl kustomize} renders it, strictly against the
 * CRD schemas of the operator the README tells people to install (1.15.0, its published Helm chart CRDs in
 * {@code ../shared/crds/}) and of the newest operator API on Maven Central (1.10.0).
 */
class ManifestSchemaTest {
    /** The operator release to install (README, "Deploy to Kubernetes"): its CRDs list flinkVersion up to v2_2. */
    static final String OPERATOR = "flink-kubernetes-operator-1.15.0";
    // flink-kubernetes-operator-api 1.10.0's flinkVersion enum stops at v1_20. Operators from 1.13 accept v2_2; that
    // one value is added, nothing else is relaxed.
    static final CrdSchema DEPLOYMENT_1_10 = CrdSchema.fromOperatorApi("flinkdeployments.flink.apache.org", "v1beta1")
            .widenEnum(List.of("spec", "flinkVersion"), "v2_2");
    static final CrdSchema SESSION_JOB_1_10 = CrdSchema.fromOperatorApi("flinksessionjobs.flink.apache.org", "v1beta1");

    static List<CrdSchema> schemasFor(JsonNode resource) {
        Path crds = Environment.sharedCrds(OPERATOR);
        return switch (resource.path("kind").asText()) {
            case "FlinkDeployment" -> List.of(DEPLOYMENT_1_10,
                    CrdSchema.fromFile(crds.resolve("flinkdeployments.flink.apache.org-v1.yml"), "v1beta1"));
            case "FlinkSessionJob" -> List.of(SESSION_JOB_1_10,
                    CrdSchema.fromFile(crds.resolve("flinksessionjobs.flink.apache.org-v1.yml"), "v1beta1"));
            default -> throw new AssertionError("no schema for kind " + resource.path("kind"));
        };
    }

    private static void assertValid(String what, JsonNode resource) {
        List<CrdSchema> schemas = schemasFor(resource);
        for (int i = 0; i < schemas.size(); i++) {
            List<String> problems = schemas.get(i).validate(resource);
            assertTrue(problems.isEmpty(), what + " is invalid against " + (i == 0 ? "operator-api 1.10.0" : OPERATOR)
                    + ":\n  " + String.join("\n  ", problems));
        }
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
        assertEquals(java.util.Set.of("orders-cleanse", "customers-cleanse", "sales-transform"),
                java.util.Set.copyOf(rendered.stream().map(Manifests::name).toList()));
        rendered.forEach(r -> assertValid("overlay " + overlay + " " + Manifests.name(r), r));
    }

    private static JsonNode named(List<ObjectNode> resources, String name) {
        return resources.stream().filter(r -> Manifests.name(r).equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachOverlayRendersItsOwnImageNamespaceArgumentsAndResources(String overlay) {
        JsonNode kustomization = Yaml.read(Yaml.repo("deploy/k8s/overlays/" + overlay + "/kustomization.yaml"));
        String image = kustomization.at("/images/0/name").asText() + ":" + kustomization.at("/images/0/newTag").asText();
        List<ObjectNode> base = Manifests.base();
        for (ObjectNode rendered : Manifests.rendered(overlay)) {
            String name = Manifests.name(rendered);
            JsonNode patch = Yaml.read(Yaml.repo("deploy/k8s/overlays/" + overlay + "/" + name + ".yaml"));
            assertEquals(image, rendered.at("/spec/image").asText(), overlay + " " + name + ": the overlay's tag");
            assertNotEquals(named(base, name).at("/spec/image").asText(), image, "the overlay's tag differs from the base's");
            assertEquals(kustomization.at("/namespace").asText(), rendered.at("/metadata/namespace").asText(), name);
            assertEquals(patch.at("/spec/job/args"), rendered.at("/spec/job/args"), overlay + " " + name + ": arguments");
            assertEquals(patch.at("/spec/taskManager/resource"), rendered.at("/spec/taskManager/resource"), name);
            assertEquals(patch.at("/spec/jobManager/resource"), rendered.at("/spec/jobManager/resource"), name);
            assertEquals("v2_2", rendered.at("/spec/flinkVersion").asText(), name);
        }
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
        return CrdSchema.fromFile(Environment.sharedCrds(OPERATOR).resolve("flinkdeployments.flink.apache.org-v1.yml"),
                "v1beta1").validate(manifest);
    }

    @Test
    void unknownFieldIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec/job")).put("upgradMode", "savepoint"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.job.upgradMode: unknown field"), problems.toString());
    }

    @Test
    void wrongTypeIsAnError() {
        // Operator 1.15 takes flinkConfiguration as any YAML (x-kubernetes-preserve-unknown-fields); the 1.10 CRD, still
        // what older operators enforce, wants strings there: keep the manifests valid for both.
        ObjectNode manifest = base();
        ((ObjectNode) manifest.at("/spec/flinkConfiguration")).put("parallelism.default", 2);
        assertEquals(List.of("spec.flinkConfiguration.parallelism.default: expected a string, got number 2 (quote it)"),
                DEPLOYMENT_1_10.validate(manifest));
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec/jobManager")).put("replicas", "two"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.jobManager.replicas: expected"), problems.toString());
    }

    @Test
    void valueOutsideTheEnumIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec/job")).put("upgradeMode", "snapshot"));
        assertTrue(problems.get(0).startsWith("spec.job.upgradeMode: 'snapshot' is not one of"), problems.toString());
    }

    @Test
    void aFlinkVersionTheOperatorDoesNotKnowIsAnError() {
        List<String> problems = problemsAfter(m -> ((ObjectNode) m.at("/spec")).put("flinkVersion", "v2_3"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.flinkVersion: 'v2_3' is not one of"), problems.toString());
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
}
