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
        assertEquals(Optional.empty(), baseImageFlinkVersion("FROM flink:2.2.1-scala_2.12-java11\n"));
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
        assertTrue(dockerfile.contains("deploy/config/ /opt/midstream/config/"), "the image ships deploy/config/");
        for (Manifests.Named job : Manifests.jobs()) {
            if (job.resource().path("kind").asText().equals("FlinkDeployment")) {
                assertEquals(inImage, job.resource().at("/spec/job/jarURI").asText(), job.where());
            }
            List<String> args = args(job.resource());
            int config = args.indexOf("--config");
            assertTrue(config >= 0 && config + 1 < args.size(), job.where() + " passes --config <file>");
            String file = args.get(config + 1);
            assertTrue(file.startsWith("/opt/midstream/config/")
                    && Files.isRegularFile(Yaml.repo("deploy/config/" + file.substring("/opt/midstream/config/".length()))),
                    job.where() + ": " + file + " is a file of deploy/config/ (which the image ships)");
        }
    }

    @Test
    void everyJobRunsFilesThatTheImageShipsAndThatValidate() throws Exception {
        String dockerfile = read("deploy/Dockerfile");
        assertTrue(dockerfile.contains("COPY --chown=flink:flink pipelines/ /opt/midstream/pipelines/"),
                "the image ships pipelines/ at /opt/midstream/pipelines/");
        Set<String> jobNames = new java.util.HashSet<>();
        for (Manifests.Named job : Manifests.jobs()) {
            Class<?> entry = Class.forName(job.resource().at("/spec/job/entryClass").asText());
            assertNotNull(entry.getMethod("main", String[].class), job.where() + ": entry class has a main");
            String flag = entry == dev.midstream.job.TransformJob.class ? "--transform" : "--pipeline";
            List<String> files = filesAfter(args(job.resource()), flag);
            assertFalse(files.isEmpty(), job.where() + " passes " + flag + " <file> to " + entry.getSimpleName());
            for (String inImage : files) {
                assertTrue(inImage.startsWith("/opt/midstream/pipelines/"), job.where() + ": " + inImage);
                java.nio.file.Path inRepo = Yaml.repo("pipelines/" + inImage.substring("/opt/midstream/pipelines/".length()));
                if (flag.equals("--transform")) {
                    jobNames.add(dev.midstream.reader.TransformFileReader.read(inRepo).name());
                    continue;
                }
                dev.midstream.model.PipelineSpec spec = dev.midstream.reader.PipelineReader.read(inRepo,
                        name -> "a-stand-in-secret-of-32-bytes-00", dev.midstream.function.FunctionCatalog.load());
                jobNames.add(spec.name());
                for (dev.midstream.model.StepSpec step : spec.steps()) {
                    if (step.function() != null) {
                        assertShipped(dockerfile, step.function(), job.where());
                    }
                }
            }
        }
        assertEquals(Set.of("orders", "customers", "sales"), jobNames, "every shipped data set and transform is deployed");
    }

    @Test
    void aFunctionFromAJarTheImageDoesNotShipIsCaught() {
        AssertionError e = assertThrows(AssertionError.class, () -> assertShipped(
                "COPY --chown=flink:flink jobs/target/midstream-jobs-0.1.0-SNAPSHOT-flink.jar /opt/flink/usrlib/midstream-jobs.jar\n",
                "email_domain", "test"));
        assertTrue(e.getMessage().contains("email_domain"), e.getMessage());
    }

    /**
     * A user function must come with the jobs jar or from a jar the Dockerfile copies into usrlib/ (built in this
     * repository, and holding the function's class).
     */
    static void assertShipped(String dockerfile, String function, String where) throws java.io.IOException {
        var factory = dev.midstream.function.FunctionCatalog.load().find(function).orElseThrow();
        String entry = factory.getClass().getName().replace('.', '/') + ".class";
        if (factory.getClass().getName().startsWith("dev.midstream.udf.builtin.")) {
            return;
        }
        Matcher copy = COPY_JAR.matcher(dockerfile);
        List<String> jars = new ArrayList<>();
        while (copy.find()) {
            if (copy.group(2).startsWith("/opt/flink/usrlib/") && !copy.group(1).startsWith("jobs/")) {
                jars.add(copy.group(1));
            }
        }
        for (String jar : jars) {
            java.nio.file.Path file = Yaml.repo(jar);
            assertTrue(Files.isRegularFile(file), jar + " is not built; run ./mvnw package first");
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
                if (zip.getEntry(entry) != null) {
                    return;
                }
            }
        }
        fail(where + ": function '" + function + "' (" + factory.getClass().getName() + ") is in none of the user"
                + " jars the Dockerfile copies into /opt/flink/usrlib/: " + jars);
    }

    private static List<String> args(JsonNode resource) {
        List<String> args = new ArrayList<>();
        resource.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static List<String> filesAfter(List<String> args, String flag) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals(flag)) {
                files.add(args.get(i + 1));
            }
        }
        return files;
    }

    /** Per deployment by design: the autoscaler's bound is the partition count of that job's source topic. */
    static final Set<String> PER_DEPLOYMENT = Set.of("job.autoscaler.vertex.max-parallelism");
    /** On Kubernetes, process memory comes from spec.jobManager/taskManager.resource instead. */
    static final Set<String> RESOURCES = Set.of("jobmanager.memory.process.size", "taskmanager.memory.process.size");

    @Test
    void productionFlinkConfAndEveryBaseManifestAgreeKeyByKey() {
        Map<String, String> conf = flat(Yaml.read(Yaml.repo("flink-conf/production/config.yaml")));
        List<String> mismatches = new ArrayList<>();
        for (JsonNode deployment : Manifests.base()) {
            mismatches.addAll(differences(Manifests.name(deployment), conf,
                    flat(deployment.at("/spec/flinkConfiguration"))));
        }
        assertEquals(List.of(), mismatches, "flink-conf/production/config.yaml vs deploy/k8s/base");
    }

    @Test
    void aKeyMissingOnEitherSideOrAnotherValueIsCaught() {
        Map<String, String> conf = Map.of("a", "1", "b", "2", "taskmanager.memory.process.size", "4g",
                "job.autoscaler.vertex.max-parallelism", "6");
        assertEquals(List.of(), differences("x", conf, Map.of("a", "1", "b", "2", "job.autoscaler.vertex.max-parallelism", "3")));
        assertEquals(List.of("x: a is 1 in flink-conf, 9 in the manifest", "x: b is 2 in flink-conf, missing in the manifest",
                "x: c is missing in flink-conf, 3 in the manifest"),
                differences("x", conf, Map.of("a", "9", "c", "3", "job.autoscaler.vertex.max-parallelism", "3")));
    }

    static List<String> differences(String deployment, Map<String, String> conf, Map<String, String> manifest) {
        List<String> out = new ArrayList<>();
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(conf.keySet());
        keys.addAll(manifest.keySet());
        for (String key : keys) {
            if (RESOURCES.contains(key)) {
                continue;
            }
            String here = conf.get(key);
            String there = manifest.get(key);
            if (here == null || there == null || (!here.equals(there) && !PER_DEPLOYMENT.contains(key))) {
                out.add(deployment + ": " + key + " is " + (here == null ? "missing" : here) + " in flink-conf, "
                        + (there == null ? "missing" : there) + " in the manifest");
            }
        }
        return out;
    }

    /** Keys as Flink reads them (nested YAML flattened with dots), values as text. */
    static Map<String, String> flat(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out));
        } else {
            out.put(prefix, node.asText());
        }
    }

    @Test
    void autoscalerNeverExceedsTheSourcePartitions() {
        // Partitions of each job's widest source topic in production; see README "Deploy to Kubernetes".
        Map<String, Integer> partitions = Map.of("orders-cleanse", 6, "customers-cleanse", 3, "sales-transform", 6);
        List<String> over = new ArrayList<>();
        for (String overlay : Manifests.OVERLAYS) {
            for (JsonNode r : Manifests.rendered(overlay)) {
                Integer limit = partitions.get(Manifests.name(r));
                assertNotNull(limit, "partition count of " + Manifests.name(r) + "'s source is documented here");
                int max = r.at("/spec/flinkConfiguration/job.autoscaler.vertex.max-parallelism").asInt(Integer.MAX_VALUE);
                if (max > limit || r.at("/spec/job/parallelism").asInt() > max) {
                    over.add(overlay + " " + Manifests.name(r) + ": max " + max + ", parallelism "
                            + r.at("/spec/job/parallelism").asInt() + ", partitions " + limit);
                }
            }
        }
        assertTrue(over.isEmpty(), over.toString());
    }
}
