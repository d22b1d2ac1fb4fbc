package dev.midstream.deploy;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every Flink configuration key we ship is one Flink (or the operator, or the autoscaler) defines: a typo fails. */
class FlinkConfigurationKeysTest {
    private static FlinkOptionKeys known;

    @BeforeAll
    static void readOptionDefinitions() {
        known = new FlinkOptionKeys();
        assertTrue(known.size() > 500, "read " + known.size() + " keys from " + known.classesRead);
        assertTrue(known.classesRead.containsAll(Set.of("CheckpointingOptions", "RocksDBConfigurableOptions",
                "KubernetesConfigOptions", "AutoScalerOptions", "HighAvailabilityOptions", "MetricOptions")),
                "option classes read: " + known.classesRead);
    }

    /** "file: key" for every flinkConfiguration entry of every manifest and every key of flink-conf/. */
    static Map<String, String> shippedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String file : Manifests.files()) {
            Yaml.read(Yaml.repo(file)).path("spec").path("flinkConfiguration").fieldNames()
                    .forEachRemaining(k -> keys.put(file + ": " + k, k));
        }
        for (String file : List.of("flink-conf/local/config.yaml", "flink-conf/production/config.yaml")) {
            JsonNode conf = Yaml.read(Yaml.repo(file));
            conf.fieldNames().forEachRemaining(k -> keys.put(file + ": " + k, k));
        }
        return keys;
    }

    private static List<String> unknown(Map<String, String> keys) {
        List<String> unknown = new ArrayList<>();
        keys.forEach((where, key) -> {
            if (!known.isKnown(key)) {
                unknown.add(where + " (did you mean " + known.closest(key) + "?)");
            }
        });
        return unknown;
    }

    @Test
    void everyShippedKeyIsARealFlinkOption() {
        Map<String, String> keys = shippedKeys();
        assertTrue(keys.size() > 60, "found " + keys.size());
        List<String> unknown = unknown(keys);
        assertTrue(unknown.isEmpty(), "unknown Flink configuration keys:\n  " + String.join("\n  ", unknown));
    }

    @Test
    void aTypoIsCaughtWithASuggestion() {
        List<String> unknown = unknown(Map.of("broken.yaml: execution.checkpointing.intervall", "execution.checkpointing.intervall",
                "broken.yaml: job.autoscaler.enable", "job.autoscaler.enable",
                "broken.yaml: metrics.reporter.prom.prot", "metrics.reporter.prom.prot",
                "broken.yaml: kubernetes.operator.periodic.savepoint.intreval", "kubernetes.operator.periodic.savepoint.intreval"));
        assertEquals(4, unknown.size(), unknown.toString());
        assertTrue(unknown.contains("broken.yaml: execution.checkpointing.intervall (did you mean execution.checkpointing.interval?)"),
                unknown.toString());
    }

    @Test
    void flinkConfYamlIsFlatSoEveryKeyIsChecked() {
        for (String file : List.of("flink-conf/local/config.yaml", "flink-conf/production/config.yaml")) {
            Yaml.read(Yaml.repo(file)).fields().forEachRemaining(f ->
                    assertTrue(f.getValue().isValueNode(), file + ": " + f.getKey() + " is nested; write flat keys"));
        }
    }
}
