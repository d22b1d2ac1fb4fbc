package dev.midstream.deploy;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pieces of a deployment that must agree: image and pom, image and manifests, flink-conf and manifests. */
class DeploymentConsistencyTest {
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+flink:(\\S+?)-scala_2\\.12-java17\\s*$");
    private static final Pattern COPY_JAR = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+\\.jar)\\s+(\\S+)\\s*$");
    private static final Pattern FLINK_VERSION = Pattern.compile("<flink\\.version>([^<]+)</flink\\.version>");
    private static final Pattern VERSION = Pattern.compile("(?s)<artifactId>midstream-parent</artifactId>\\s*<version>([^<]+)</version>");

    static Optional<String> baseImageFlinkVersion(String dockerfile) {
        Matcher m = FROM.matcher(dockerfile);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String read(String file) throws Exception {
        return Files.readString(Yaml.repo(file));
    }

    @Test
    void baseImageIsTheFlinkVersionPinnedInThePom() throws Exception {
        Matcher pinned = FLINK_VERSION.matcher(read("pom.xml"));
        assertTrue(pinned.find());
        assertEquals(Optional.of(pinned.group(1)), baseImageFlinkVersion(read("deploy/Dockerfile")),
                "deploy/Dockerfile must start FROM flink:" + pinned.group(1) + "-scala_2.12-java17");
    }

    @Test
    void aMismatchedOrFloatingBaseImageIsCaught() {
        assertEquals(Optional.of("1.20.1"), baseImageFlinkVersion("FROM flink:1.20.1-scala_2.12-java17\n"));
        assertEquals(Optional.empty(), baseImageFlinkVersion("FROM flink:latest\n"));
        assertEquals(Optional.empty(), baseImageFlinkVersion("FROM flink:2.0.2-scala_2.12-java11\n"));
    }

    @Test
    void imageShipsTheJarTheBuildMakesWhereTheManifestsLookForIt() throws Exception {
        String dockerfile = read("deploy/Dockerfile");
        Matcher copy = COPY_JAR.matcher(dockerfile);
        assertTrue(copy.find(), "the Dockerfile copies a jar");
        Matcher version = VERSION.matcher(read("pom.xml"));
        assertTrue(version.find());
        assertEquals("jobs/target/midstream-jobs-" + version.group(1) + "-flink.jar", copy.group(1),
                "the Dockerfile copies the shaded jar jobs/ builds");
        String inImage = "local://" + copy.group(2);
        for (String file : List.of("deploy/k8s/base/orders-cleanse.yaml")) {
            assertEquals(inImage, Yaml.read(Yaml.repo(file)).at("/spec/job/jarURI").asText(), file);
        }
        String args = Yaml.read(Yaml.repo("deploy/k8s/base/orders-cleanse.yaml")).at("/spec/job/args").toString();
        assertTrue(args.contains("/opt/midstream/config/orders.properties") && dockerfile.contains("deploy/config/ /opt/midstream/config/"),
                "the job's --config file is copied into the image");
    }

    @Test
    void theManifestsRunPipelineFilesThatTheImageShipsAndThatValidate() throws Exception {
        String dockerfile = read("deploy/Dockerfile");
        assertTrue(dockerfile.contains("COPY --chown=flink:flink pipelines/ /opt/midstream/pipelines/"),
                "the image ships pipelines/ at /opt/midstream/pipelines/");
        for (String file : List.of("deploy/k8s/base/orders-cleanse.yaml", "deploy/k8s/session/orders-cleanse-session-job.yaml")) {
            JsonNode job = Yaml.read(Yaml.repo(file)).at("/spec/job");
            Class<?> entry = Class.forName(job.path("entryClass").asText());
            assertNotNull(entry.getMethod("main", String[].class), file + ": entry class has a main");
            List<String> args = new ArrayList<>();
            job.path("args").forEach(a -> args.add(a.asText()));
            int at = args.indexOf("--pipeline");
            assertTrue(at >= 0 && at + 1 < args.size(), file + " passes --pipeline <file>");
            String inImage = args.get(at + 1);
            assertTrue(inImage.startsWith("/opt/midstream/pipelines/"), inImage);
            java.nio.file.Path inRepo = Yaml.repo("pipelines/" + inImage.substring("/opt/midstream/pipelines/".length()));
            dev.midstream.pipeline.PipelineSpec spec = dev.midstream.pipeline.PipelineReader.read(inRepo,
                    name -> "a-stand-in-secret-of-32-bytes-00", dev.midstream.transform.FunctionCatalog.load());
            assertEquals("orders", spec.name(), file);
        }
    }

    @Test
    void productionFlinkConfAndTheManifestAgree() {
        // On Kubernetes, process memory comes from spec.jobManager/taskManager.resource instead.
        Set<String> kubernetesOnly = Set.of("jobmanager.memory.process.size", "taskmanager.memory.process.size");
        JsonNode conf = Yaml.read(Yaml.repo("flink-conf/production/config.yaml"));
        JsonNode manifest = Yaml.read(Yaml.repo("deploy/k8s/base/orders-cleanse.yaml")).at("/spec/flinkConfiguration");
        Map<String, String> mismatches = new TreeMap<>();
        conf.fields().forEachRemaining(f -> {
            if (!kubernetesOnly.contains(f.getKey()) && !f.getValue().asText().equals(manifest.path(f.getKey()).asText(null))) {
                mismatches.put(f.getKey(), f.getValue().asText() + " vs " + manifest.path(f.getKey()).asText("(missing)"));
            }
        });
        assertTrue(mismatches.isEmpty(), "flink-conf/production/config.yaml vs deploy/k8s/base: " + mismatches);
    }

    @Test
    void autoscalerNeverExceedsTheSourcePartitions() {
        int partitions = 6; // ods.orders in production; see README "Deploy to Kubernetes"
        List<String> over = new ArrayList<>();
        for (String overlay : List.of("dev", "prod")) {
            JsonNode r = Kustomize.build(Yaml.repo("deploy/k8s/overlays/" + overlay)).get(0);
            int max = r.at("/spec/flinkConfiguration/job.autoscaler.vertex.max-parallelism").asInt(Integer.MAX_VALUE);
            if (max > partitions || r.at("/spec/job/parallelism").asInt() > max) {
                over.add(overlay + ": max " + max + ", parallelism " + r.at("/spec/job/parallelism").asInt());
            }
        }
        assertTrue(over.isEmpty(), over.toString());
    }
}
