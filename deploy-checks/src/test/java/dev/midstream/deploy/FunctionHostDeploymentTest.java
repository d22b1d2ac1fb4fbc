package dev.midstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.midstream.host.Invoker;
import dev.midstream.model.RemoteSpec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function host's deployment: the Knative Service against Knative Serving 1.23's published CRD, its probes
 * and port against what the host serves, its timeouts against the remote step's defaults, and the host's
 * Dockerfile against what the build produces.
 */
class FunctionHostDeploymentTest {
    private static final String SERVICE = "deploy/knative/function-host.yaml";
    private static final String DOCKERFILE = "deploy/function-host.Dockerfile";

    private static CrdSchema knativeService() {
        return CrdSchema.fromFile(Environment.sharedCrds("knative-serving-1.23").resolve("service.yaml"), "v1");
    }

    private static ObjectNode service() {
        return (ObjectNode) Yaml.read(Yaml.repo(SERVICE));
    }

    @Test
    void theKnativeServiceMatchesTheCrd() {
        List<String> problems = knativeService().validate(service());
        assertTrue(problems.isEmpty(), SERVICE + " is invalid against Knative Serving 1.23:\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void aBrokenKnativeServiceIsReported() {
        ObjectNode broken = service();
        ((ObjectNode) broken.at("/spec/template/spec")).put("containerConcurency", 4);
        List<String> problems = knativeService().validate(broken);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.template.spec.containerConcurency: unknown field"), problems.toString());
    }

    @Test
    void probesAskWhatTheHostAnswers() {
        JsonNode container = service().at("/spec/template/spec/containers/0");
        Invoker host = Invoker.fromClassPath(getClass().getClassLoader());
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            String path = container.at("/" + probe + "/httpGet/path").asText();
            assertEquals(200, host.handle("GET", path, new byte[0]).status(), probe + " " + path);
        }
        assertEquals(8080, container.at("/ports/0/containerPort").asInt(), "the host's default $PORT");
        assertTrue(host.names().contains("email_domain"), "the image's example function is served: " + host.names());
    }

    @Test
    void theRequestTimeoutOutlastsAStepsAttempt() {
        JsonNode spec = service().at("/spec/template/spec");
        assertTrue(spec.path("timeoutSeconds").asLong() > RemoteSpec.DEFAULT_TIMEOUT.toSeconds(),
                "Knative must not cut a request the step still waits for");
        int concurrency = spec.path("containerConcurrency").asInt();
        int target = Integer.parseInt(service().at("/spec/template/metadata/annotations")
                .path("autoscaling.knative.dev/target").asText());
        assertTrue(target <= concurrency, "the autoscaler's target is below the hard limit");
        assertFalse(service().at("/spec/template/metadata/annotations").path("autoscaling.knative.dev/min-scale")
                .asText("0").equals("0"), "no scale to zero: a job's start-up check would wait for a cold start");
    }

    @Test
    void theDockerfileRunsTheHostJarTheBuildMakesAsANonRootUser() throws IOException {
        String dockerfile = Files.readString(Yaml.repo(DOCKERFILE));
        assertTrue(dockerfile.lines().anyMatch(l -> l.matches("FROM eclipse-temurin:17-jre(\\s.*)?")), "Java 17 JRE");
        Matcher copy = Pattern.compile("COPY \\S* (function-host/target/(\\S+)) ").matcher(dockerfile);
        assertTrue(copy.find(), "the Dockerfile copies the host jar");
        String pom = Files.readString(Yaml.repo("function-host/pom.xml"));
        assertTrue(pom.contains("<shadedClassifierName>host</shadedClassifierName>"), "the host jar is the shaded one");
        String version = projectVersion();
        assertEquals("midstream-function-host-" + version + "-host.jar", copy.group(2));
        assertTrue(dockerfile.contains("dev.midstream.host.FunctionHost"), "the entry point is the host's main");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
        assertTrue(user.find() && !user.group(1).equals("root") && !user.group(1).equals("0"), "runs as non-root");
        assertTrue(service().at("/spec/template/spec/containers/0/securityContext/runAsNonRoot").asBoolean(),
                "the Service asks for it too");
    }

    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>midstream-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Yaml.repo("pom.xml")));
        assertTrue(m.find(), "the parent pom's version");
        return m.group(1);
    }
}
