package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.engine.DatabaseConnectionCheck;
import dev.midstream.model.ConfigException;
import dev.midstream.model.JobSpec;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.EmbeddedPostgresServer;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.TestCertificates;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The orders pipeline into a PostgreSQL that takes the job's user only over TLS with a password (scram-sha-256),
 * verified with {@code sslmode=verify-full} against the server's certificate (made by the test); the password comes
 * from the environment. A wrong password, an untrusted certificate and an unencrypted connection each stop the
 * submission with one line naming the database.
 */
class SecuredPostgresIntegrationTest {
    private static final String PASSWORD = "db-password-never-written-0007";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir
    static Path dir;

    private static EmbeddedPostgresServer postgres;
    private static Path serverCertificate;
    private static Path strangerCertificate;

    @BeforeAll
    static void startPostgres() throws Exception {
        TestCertificates server = TestCertificates.selfSigned(dir, "server");
        serverCertificate = server.certificate();
        strangerCertificate = TestCertificates.selfSigned(dir, "stranger").certificate();
        Path hba = Files.writeString(dir.resolve("pg_hba.conf"), """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                hostssl all midstream 127.0.0.1/32 scram-sha-256
                host all midstream 127.0.0.1/32 reject
                """);
        postgres = new EmbeddedPostgresServer(null, 0, Map.of("ssl", "on",
                "ssl_cert_file", serverCertificate.toString(), "ssl_key_file", server.privateKey().toString(),
                "hba_file", hba.toString())).start();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE midstream LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE secured OWNER midstream");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String url(String ssl) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/secured?" + ssl;
    }

    private static JobOptions options(String topic, String jdbcUrl, String password) {
        Map<String, String> values = new HashMap<>(OrdersScenario.jobOptions(KAFKA.bootstrapServers(), topic, jdbcUrl));
        values.put("midstream.jdbc.username", "midstream");
        Map<String, String> env = new HashMap<>(OrdersScenario.env());
        env.put("MIDSTREAM_JDBC_PASSWORD", password);
        return JobOptions.load(ConfigSource.of(values, "test"), env::get);
    }

    @Test
    void theOrdersPipelineWritesExactlyOverVerifiedTlsWithAPassword() throws Exception {
        OrdersScenario scenario = new OrdersScenario(13, 1_500);
        String topic = KAFKA.uniqueTopic("tls-orders", 2);
        KAFKA.createTopic(topic + ".dead-letters", 1);
        scenario.produceTo(KAFKA.bootstrapServers(), topic);
        JobOptions options = options(topic, url("sslmode=verify-full&sslrootcert=" + serverCertificate), PASSWORD);
        JobSpec job = JobFiles.pipelines(List.of(PipelineFiles.copy(PipelineFiles.ORDERS,
                Files.createDirectories(dir.resolve("pipelines")), PipelineFiles.withoutCleanTopic("orders", Map.of(
                        "[ods.orders]", "[" + topic + "]", "ods.orders.dead-letters", topic + ".dead-letters")))),
                OrdersScenario.env()::get);
        TestJobs.start(TestEnvironments.checkpointed(dir.resolve("checkpoints"), 2, Duration.ofMillis(200), false),
                options, job).getJobExecutionResult().get(4, TimeUnit.MINUTES);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("secured"))) {
            MapAssert.assertSameEntries("orders table over TLS", scenario.expectedTable(), OrdersScenario.actualTable(c));
            MapAssert.assertSameEntries("dead letters over TLS", scenario.expectedDeadLetters(),
                    OrdersScenario.actualDeadLetters(c));
        }
    }

    @Test
    void aWrongPasswordAnUntrustedCertificateAndAnUnencryptedConnectionStopTheSubmission() {
        String where = "PostgreSQL 127.0.0.1:" + postgres.port() + "/secured as midstream";

        String password = failure(options("t", url("sslmode=verify-full&sslrootcert=" + serverCertificate), "wrong-pw"));
        assertTrue(password.startsWith(where + " (sslmode=verify-full): authentication failed"), password);
        assertFalse(password.contains("wrong-pw"), "the password is not repeated");

        String certificate = failure(options("t", url("sslmode=verify-full&sslrootcert=" + strangerCertificate),
                PASSWORD));
        assertTrue(certificate.startsWith(where + " (sslmode=verify-full): the TLS handshake failed"), certificate);

        String plaintext = failure(options("t", url("sslmode=disable"), PASSWORD));
        assertTrue(plaintext.startsWith(where + " (sslmode=disable): the server refused the connection")
                && plaintext.contains("sslmode=verify-full"), plaintext);
    }

    private static String failure(JobOptions options) {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseConnectionCheck.check(options.jdbc()));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), "no password in the message");
        return e.problems().get(0);
    }
}
