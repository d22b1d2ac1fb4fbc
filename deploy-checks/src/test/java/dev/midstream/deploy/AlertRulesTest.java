package dev.midstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code deploy/prometheus/midstream-alerts.yaml} by Prometheus's own tool: {@code promtool check rules} accepts it
 * and {@code promtool test rules} runs its unit tests (which alert fires, when, with which text). That the metric
 * names are those a real cluster exports is checked by ClusterLifecycleTest against its scrape.
 */
class AlertRulesTest {
    static final String INSTALL = "install Debian's prometheus package, which ships promtool: apt-get install prometheus"
            + " (.ci/run does)";

    private static String promtool(String... args) throws Exception {
        Environment.require("promtool", INSTALL);
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(Yaml.repo("deploy/prometheus").toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertTrue(promtool("check", "rules", "midstream-alerts.yaml").contains("SUCCESS: 11 rules found"));
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        assertTrue(promtool("test", "rules", "midstream-alerts.test.yaml").contains("SUCCESS"));
    }

    @Test
    void everyAlertIsTestedAndSaysWhatItMeans() {
        JsonNode rules = Yaml.read(Yaml.repo("deploy/prometheus/midstream-alerts.yaml"));
        String tests = Yaml.read(Yaml.repo("deploy/prometheus/midstream-alerts.test.yaml")).toString();
        for (JsonNode rule : rules.at("/groups/0/rules")) {
            String name = rule.path("alert").asText();
            assertTrue(tests.contains("\"alertname\":\"" + name + "\""), name + " has a unit test");
            assertTrue(rule.at("/annotations/summary").isTextual(), name + " has a summary");
            assertTrue(List.of("warning", "critical").contains(rule.at("/labels/severity").asText()), name);
        }
    }

    static Path rules() {
        return Yaml.repo("deploy/prometheus/midstream-alerts.yaml");
    }
}
