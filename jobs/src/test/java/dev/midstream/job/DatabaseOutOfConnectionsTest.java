package dev.midstream.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.testkit.EmbeddedPostgresServer;
import dev.midstream.testkit.KafkaExtension;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * PostgreSQL runs out of connections under the running job: another client takes every slot {@code max_connections}
 * leaves to ordinary roles, and the job's own sessions are ended. The job's tasks fail to connect ("remaining
 * connection slots are reserved"), Flink restarts them with back-off, and once slots are free again the job writes
 * every order from its last checkpoint on: none lost.
 */
class DatabaseOutOfConnectionsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final String HOG = "connection-hog";

    @Test
    void theJobWaitsOutAFullDatabaseAndLosesNothing(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(null, 0, Map.of("max_connections", "24",
                "superuser_reserved_connections", "3")).start();
             Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE ROLE midstream LOGIN");
                s.execute("CREATE DATABASE shop OWNER midstream");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/shop?user=midstream";
            UnboundedOrdersJob orders = UnboundedOrdersJob.of(KAFKA, "full-db-orders", url, dir,
                    Map.of("midstream.sink.max-retries", "0"));
            String topic = orders.topic();
            List<Connection> hogged = new ArrayList<>();
            Map<String, String> expected = new TreeMap<>();
            try (CapturedLogs logs = new CapturedLogs()) {
                JobClient client = TestJobs.start(TestEnvironments.backingOff(dir.resolve("checkpoints")),
                        orders.options(), orders.job());
                try {
                    HandMadeOrders.send(KAFKA.bootstrapServers(), topic, "a", 40, "web", expected);
                    UnboundedOrdersJob.awaitOrders(url, 40);

                    AtomicBoolean full = new AtomicBoolean(true);
                    Thread keepFull = new Thread(() -> {
                        hog(url, hogged);
                        while (full.get()) {
                            endJobSessions(admin);
                            hog(url, hogged);
                            sleep(100);
                        }
                    }, "keep-postgres-full");
                    keepFull.start();
                    Thread.sleep(1_000);
                    HandMadeOrders.send(KAFKA.bootstrapServers(), topic, "b", 30, "app", expected);
                    await("a task could not connect").atMost(Duration.ofMinutes(2)).until(() -> logs.lines().stream()
                            .anyMatch(l -> l.contains("remaining connection slots are reserved")));
                    Thread.sleep(3_000);
                    assertTrue(UnboundedOrdersJob.orders(postgres.jdbcUrl("shop")) < 70,
                            "nothing can be written while the database is full");
                    full.set(false);
                    keepFull.join();
                    for (Connection c : hogged) {
                        c.close();
                    }
                    UnboundedOrdersJob.awaitOrders(url, 70);
                } finally {
                    client.cancel().get();
                }
            }
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("shop"))) {
                MapAssert.assertSameEntries("orders after the database was full", expected, HandMadeOrders.actualRows(c));
            }
        }
    }

    /** Takes connections as the job's role until PostgreSQL refuses one. */
    private static void hog(String url, List<Connection> hogged) {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", HOG);
        while (true) {
            try {
                hogged.add(DriverManager.getConnection(url, properties));
            } catch (SQLException full) {
                return;
            }
        }
    }

    private static void endJobSessions(Connection admin) {
        try (Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'midstream'"
                    + " AND application_name <> '" + HOG + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
