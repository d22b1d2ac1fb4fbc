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
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.MariaDbServer;
import dev.midstream.testkit.Requirements;
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
 * The orders pipeline into a MariaDB that accepts TCP connections only over TLS ({@code require_secure_transport})
 * and the job's user only with a password, verified by MariaDB Connector/J with {@code sslMode=verify-full} against
 * the server's certificate (made by the test); the password comes from the environment. A wrong password, an
 * untrusted certificate and an unencrypted connection each stop the submission with one line naming the database.
 */
class SecuredMariaDbIntegrationTest {
    private static final String PASSWORD = "mariadb-password-never-written-0011";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir
    static Path dir;

    private static MariaDbServer mariadb;
    private static Path serverCertificate;
    private static Path strangerCertificate;

    @BeforeAll
    static void startMariaDb() throws Exception {
        if (MariaDbServer.binaries().isEmpty()) {
            Requirements.missing(MariaDbServer.INSTALL);
        }
        TestCertificates server = TestCertificates.selfSigned(dir, "server");
        serverCertificate = server.certificate();
        strangerCertificate = TestCertificates.selfSigned(dir, "stranger").certificate();
        mariadb = MariaDbServer.start(dir, List.of("--ssl-cert=" + serverCertificate,
                "--ssl-key=" + server.privateKey()));
        try (Connection c = DriverManager.getConnection(mariadb.jdbcUrl("mysql")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE secured CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            s.execute("CREATE USER 'midstream'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT ALL ON secured.* TO 'midstream'@'127.0.0.1'");
            // From now on no TCP client gets in without TLS, root included (it then uses TLS too).
            s.execute("SET GLOBAL require_secure_transport = ON");
        }
    }

    @AfterAll
    static void stopMariaDb() throws Exception {
        if (mariadb != null) {
            mariadb.close();
        }
    }

    private static String url(String ssl) {
        return "jdbc:mariadb://127.0.0.1:" + mariadb.port() + "/secured?" + ssl;
    }

    private static String verified() {
        return url("sslMode=verify-full&serverSslCert=" + serverCertificate);
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
        OrdersScenario scenario = new OrdersScenario(17, 1_500);
        String topic = KAFKA.uniqueTopic("mariadb-tls-orders", 2);
        KAFKA.createTopic(topic + ".dead-letters", 1);
        scenario.produceTo(KAFKA.bootstrapServers(), topic);
        JobOptions options = options(topic, verified(), PASSWORD);
        JobSpec job = JobFiles.pipelines(List.of(PipelineFiles.copy(PipelineFiles.ORDERS,
                Files.createDirectories(dir.resolve("pipelines")), PipelineFiles.withoutCleanTopic("orders", Map.of(
                        "[ods.orders]", "[" + topic + "]", "ods.orders.dead-letters", topic + ".dead-letters")))),
                OrdersScenario.env()::get);
        TestJobs.start(TestEnvironments.checkpointed(dir.resolve("checkpoints"), 2, Duration.ofMillis(200), false),
                options, job).getJobExecutionResult().get(4, TimeUnit.MINUTES);
        try (Connection c = DriverManager.getConnection(verified(), "midstream", PASSWORD);
             Statement s = c.createStatement();
             var cipher = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            assertTrue(cipher.next() && !cipher.getString(2).isEmpty(), "the reading connection is encrypted too");
            MapAssert.assertSameEntries("orders table over TLS", scenario.expectedTable(), OrdersScenario.actualTable(c));
            MapAssert.assertSameEntries("dead letters over TLS", scenario.expectedDeadLetters(),
                    OrdersScenario.actualDeadLetters(c));
        }
    }

    @Test
    void aWrongPasswordAnUntrustedCertificateAndAnUnencryptedConnectionStopTheSubmission() {
        String where = "MariaDB/MySQL 127.0.0.1:" + mariadb.port() + "/secured as midstream";

        String password = failure(options("t", verified(), "wrong-pw"));
        assertTrue(password.startsWith(where + " (sslMode=verify-full): authentication failed"), password);
        assertFalse(password.contains("wrong-pw"), "the password is not repeated");

        String certificate = failure(options("t", url("sslMode=verify-full&serverSslCert=" + strangerCertificate),
                PASSWORD));
        assertTrue(certificate.startsWith(where + " (sslMode=verify-full): the TLS handshake failed"), certificate);

        String plaintext = failure(options("t", url("sslMode=disable"), PASSWORD));
        assertTrue(plaintext.startsWith(where + " (sslMode=disable): the server refused the connection")
                && plaintext.contains("sslMode=verify-full"), plaintext);
    }

    private static String failure(JobOptions options) {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseConnectionCheck.check(options.jdbc()));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), "no password in the message");
        return e.problems().get(0);
    }
}
