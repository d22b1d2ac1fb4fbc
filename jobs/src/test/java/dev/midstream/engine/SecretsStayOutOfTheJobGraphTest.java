package dev.midstream.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.model.JobSpec;
import dev.midstream.model.Secret;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;

import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The salt, a remote function's token and the database password are read at submission (to fail there) but only
 * their references travel in the job graph: the JobManager's job storage and the web UI never hold a value, and each
 * TaskManager reads it from its own environment when the operator opens.
 */
class SecretsStayOutOfTheJobGraphTest {
    private static final String SALT = "pii-salt-never-in-the-graph-000001";
    private static final String TOKEN = "fn-token-never-in-the-graph-000002";
    private static final String PASSWORD = "db-password-never-in-the-graph-03";
    private static final Map<String, String> ENV = Map.of("MIDSTREAM_PII_SALT", SALT, "FN_TOKEN", TOKEN,
            "MIDSTREAM_JDBC_PASSWORD", PASSWORD);

    @TempDir
    Path dir;

    @Test
    void theSerializedJobGraphHoldsReferencesNotValues() throws Exception {
        Path file = dir.resolve("orders.yaml");
        Files.writeString(file, Files.readString(Path.of("../pipelines/orders.yaml")).replace("\npii:", """

                transform:
                  - id: score
                    remote:
                      function: score
                      url: https://functions.example.com/score
                      fields: [amount]
                      headers: {Authorization: "Bearer ${env:FN_TOKEN}"}

                pii:"""));
        JobSpec job = JobFiles.pipelines(java.util.List.of(file), ENV::get);
        JobOptions options = JobOptions.load(ConfigSource.of(Map.of("midstream.kafka.bootstrap-servers",
                "kafka:9092", "midstream.jdbc.url", "jdbc:postgresql://db:5432/shop", "midstream.jdbc.username",
                "midstream"), "test"), ENV::get);
        assertEquals(PASSWORD, options.jdbc().credentials().getProperty("password"), "read at submission");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(10_000);
        JobGraphBuilder.of(options).build(env, job, KafkaJdbcConnectors.of(options));
        JobGraph graph = env.getStreamGraph().getJobGraph();
        String bytes = new String(InstantiationUtil.serializeObject(graph), StandardCharsets.ISO_8859_1);

        assertTrue(bytes.contains("${env:MIDSTREAM_PII_SALT}") && bytes.contains("Bearer ${env:FN_TOKEN}")
                && bytes.contains("${env:MIDSTREAM_JDBC_PASSWORD}"), "the operators' configuration is in what was searched");
        for (String secret : ENV.values()) {
            assertFalse(bytes.contains(secret), "no secret value in the job graph: " + secret.substring(0, 8) + "…");
        }
        assertFalse(env.getConfiguration().toString().contains(PASSWORD), "nor in the job's configuration");
    }

    @Test
    void aCopyInThisJvmReusesTheValueAndAReferenceResolvesFromEnvironmentOrFile() throws Exception {
        Path saltFile = Files.writeString(dir.resolve("salt"), "from-the-mounted-file\n");
        Secret copy = InstantiationUtil.clone(new Secret("${file:" + saltFile + "}", "as-read".getBytes()));
        // In this JVM the value read is reused, as a local run's "TaskManager" is this process.
        assertEquals("as-read", new String(copy.value(), StandardCharsets.UTF_8));
        assertEquals("from-the-mounted-file", Secret.resolve("${file:" + saltFile + "}", name -> null),
                "a TaskManager of its own resolves the reference, stripped");
        assertEquals("Bearer t0k", Secret.resolve("Bearer ${env:T}", Map.of("T", " t0k ")::get));
        IllegalStateException unset = assertThrows(IllegalStateException.class,
                () -> Secret.resolve("${env:NOT_SET_HERE}", name -> null));
        assertEquals("secret ${env:NOT_SET_HERE}: environment variable NOT_SET_HERE is not set in this process;"
                + " export it on every JobManager and TaskManager", unset.getMessage());
    }
}
