package dev.midstream.bench;

import dev.midstream.testkit.EmbeddedPostgresServer;
import dev.midstream.testkit.FreePort;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL 17 (embedded, in its own processes) and a Kafka broker in a JVM of its own: the table planner on this
 * class path brings Scala 2.12, the broker Scala 2.13. {@code midstream.bench.broker-classpath} is the testkit's
 * class path, written by bench/run.sh.
 */
final class Services implements AutoCloseable {
    final EmbeddedPostgresServer postgres;
    final Process broker;
    final String bootstrap;
    final Admin admin;
    final Path pgData;

    private Services(EmbeddedPostgresServer postgres, Path pgData, Process broker, String bootstrap) {
        this.postgres = postgres;
        this.pgData = pgData;
        this.broker = broker;
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    static Services start(Path dir) throws IOException, InterruptedException {
        Path pgData = dir.resolve("postgres");
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(pgData, FreePort.pick()).start();
        String classpath = System.getProperty("midstream.bench.broker-classpath");
        if (classpath == null) {
            throw new IllegalStateException("set -Dmidstream.bench.broker-classpath (bench/run.sh does)");
        }
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseParallelGC", "-cp", classpath, "dev.midstream.testkit.StandaloneKafkaBroker",
                dir.resolve("kafka").toString(), Integer.toString(FreePort.pick()))
                .redirectError(dir.resolve("broker.log").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // log lines before the ready line
        }
        if (line == null) {
            throw new IllegalStateException("the Kafka broker did not start; see " + dir.resolve("broker.log"));
        }
        return new Services(postgres, pgData, broker, line.substring("READY ".length()).strip());
    }

    void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    String database(String name) {
        postgres.createDatabase(name);
        return postgres.jdbcUrl(name);
    }

    @Override
    public void close() throws Exception {
        admin.close();
        broker.getOutputStream().close();
        if (!broker.waitFor(30, TimeUnit.SECONDS)) {
            broker.destroyForcibly();
        }
        postgres.close();
    }
}
