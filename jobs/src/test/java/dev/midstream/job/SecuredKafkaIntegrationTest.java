package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.engine.KafkaConnectionCheck;
import dev.midstream.model.ConfigException;
import dev.midstream.model.JobSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.EmbeddedKafkaBroker;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestCertificates;
import dev.midstream.testkit.TestDatabase;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The orders pipeline through a SASL_SSL listener of a real broker (SASL PLAIN over TLS, certificates made by the
 * test, {@link TestCertificates}): the table comes out exactly as over plaintext, the password is only referenced
 * (a mounted file, read by Kafka's configuration provider where each client runs), and a wrong password, an
 * untrusted certificate and a plaintext client each stop the submission with one line naming the connection.
 */
class SecuredKafkaIntegrationTest {
    private static final String PASSWORD = "kafka-password-never-written-0042";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedKafkaBroker.SecuredListener secured;
    private static Path trusted;
    private static Path untrusted;
    private static Path passwordFile;

    @BeforeAll
    static void startBroker() throws Exception {
        TestCertificates brokerCertificates = TestCertificates.selfSigned(dir, "broker");
        trusted = brokerCertificates.certificate();
        untrusted = TestCertificates.selfSigned(dir, "stranger").certificate();
        passwordFile = Files.writeString(dir.resolve("kafka-password"), PASSWORD + "\n");
        secured = new EmbeddedKafkaBroker.SecuredListener(0, brokerCertificates.keyStore(), TestCertificates.PASSWORD,
                Map.of("midstream", PASSWORD));
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, secured).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> secure(Map<String, String> options, Path truststore, String passwordReference) {
        Map<String, String> all = new HashMap<>(options);
        all.put("midstream.kafka.bootstrap-servers", secured.bootstrapServers());
        all.put("midstream.kafka.properties.security.protocol", "SASL_SSL");
        all.put("midstream.kafka.properties.sasl.mechanism", "PLAIN");
        all.put("midstream.kafka.properties.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"midstream\" password=\"" + passwordReference + "\";");
        all.put("midstream.kafka.properties.ssl.truststore.location", truststore.toString());
        all.put("midstream.kafka.properties.ssl.truststore.type", "PEM");
        return all;
    }

    @Test
    void theOrdersPipelineRunsExactlyOverSaslSsl(@InjectClusterRESTAddress URI rest) throws Exception {
        OrdersScenario scenario = new OrdersScenario(11, 1_500);
        String topic = "secured-orders";
        broker.createTopic(topic, 2);
        broker.createTopic(topic + ".dead-letters", 1);
        scenario.produceTo(broker.bootstrapServers(), topic);
        TestDatabase db = POSTGRES.newDatabase("secured");
        JobOptions options = TestJobs.options(secure(OrdersScenario.jobOptions(broker.bootstrapServers(), topic,
                db.jdbcUrl()), trusted, "${file:" + passwordFile + "}"));
        JobSpec job = JobFiles.pipelines(List.of(PipelineFiles.copy(PipelineFiles.ORDERS,
                Files.createDirectories(dir.resolve("pipelines")), PipelineFiles.withoutCleanTopic("orders", Map.of(
                        "[ods.orders]", "[" + topic + "]", "ods.orders.dead-letters", topic + ".dead-letters")))),
                OrdersScenario.env()::get);
        assertFalse(options.kafka().clientProperties().toString().contains(PASSWORD), "only the reference");

        List<String> logLines;
        org.apache.flink.api.common.JobID jobId;
        try (CapturedLogs logs = new CapturedLogs()) {
            var client = TestJobs.start(TestEnvironments.checkpointed(dir.resolve("checkpoints"), 2,
                    Duration.ofMillis(200), false), options, job);
            client.getJobExecutionResult().get(4, TimeUnit.MINUTES);
            jobId = client.getJobID();
            logLines = logs.lines();
        }
        assertTrue(logLines.size() > 50, "logs were captured: " + logLines.size());
        assertTrue(logLines.stream().noneMatch(l -> l.contains(PASSWORD)), "no log line holds the Kafka password");
        // What the web UI shows of the job: its configuration, plan, exceptions, and the cluster's configuration.
        for (String path : List.of("/jobs/" + jobId + "/config", "/jobs/" + jobId + "/plan", "/jobs/" + jobId,
                "/jobs/" + jobId + "/exceptions", "/jobmanager/config")) {
            String page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    rest.resolve(path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(page.length() > 2, path + " answered: " + page);
            assertFalse(page.contains(PASSWORD), "the web UI's " + path + " does not show the Kafka password");
        }
        try (Connection c = db.connect()) {
            MapAssert.assertSameEntries("orders table over SASL_SSL", scenario.expectedTable(),
                    OrdersScenario.actualTable(c));
            MapAssert.assertSameEntries("dead letters over SASL_SSL", scenario.expectedDeadLetters(),
                    OrdersScenario.actualDeadLetters(c));
        }
    }

    @Test
    void aWrongPasswordAnUntrustedCertificateAndAPlaintextClientStopTheSubmission() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-the-password");
        Map<String, String> base = OrdersScenario.jobOptions(broker.bootstrapServers(), "unused", "jdbc:postgresql://x/y");

        String authentication = failure(secure(base, trusted, "${file:" + wrong + "}"));
        assertTrue(authentication.startsWith("Kafka " + secured.bootstrapServers() + " (SASL_SSL, SASL PLAIN):"
                + " authentication failed"), authentication);
        assertFalse(authentication.contains("not-the-password"), "the password is not repeated");

        String certificate = failure(secure(base, untrusted, "${file:" + passwordFile + "}"));
        assertTrue(certificate.contains("the TLS handshake failed") && certificate.contains("ssl.truststore.location"),
                certificate);

        Map<String, String> plaintext = new HashMap<>(base);
        plaintext.put("midstream.kafka.bootstrap-servers", secured.bootstrapServers());
        String protocol = failure(plaintext);
        assertTrue(protocol.startsWith("Kafka " + secured.bootstrapServers() + " (PLAINTEXT): no answer in 10 s")
                && protocol.contains("security.protocol"), protocol);
    }

    @Test
    void aWrittenOutPasswordOrAMissingSecretIsRefusedWithTheKey() {
        Map<String, String> written = secure(OrdersScenario.jobOptions("kafka:9093", "t", "jdbc:postgresql://x/y"),
                trusted, "literal");
        ConfigException literal = assertThrows(ConfigException.class, () -> TestJobs.options(written));
        assertTrue(literal.getMessage().contains("midstream.kafka.properties.sasl.jaas.config: secrets are never"
                + " written into the job configuration"), literal.getMessage());
        assertFalse(literal.getMessage().contains("literal\""), "the value is not repeated");

        Map<String, String> missing = secure(OrdersScenario.jobOptions("kafka:9093", "t", "jdbc:postgresql://x/y"),
                trusted, "${env:KAFKA_PASSWORD_NOT_SET}");
        ConfigException unset = assertThrows(ConfigException.class, () -> TestJobs.options(missing));
        assertTrue(unset.getMessage().contains("environment variable KAFKA_PASSWORD_NOT_SET is not set"),
                unset.getMessage());

        Map<String, String> owned = new HashMap<>(OrdersScenario.jobOptions("kafka:9093", "t", "jdbc:postgresql://x/y"));
        owned.put("midstream.kafka.properties.group.id", "mine");
        assertTrue(assertThrows(ConfigException.class, () -> TestJobs.options(owned)).getMessage()
                .contains("midstream.kafka.properties.group.id: not passed through: set midstream.source.group-id"));
    }

    private static String failure(Map<String, String> options) {
        JobOptions loaded = TestJobs.options(options);
        long start = System.nanoTime();
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaConnectionCheck.check(loaded.kafka()));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "fails at once, not in a retry loop");
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }
}
