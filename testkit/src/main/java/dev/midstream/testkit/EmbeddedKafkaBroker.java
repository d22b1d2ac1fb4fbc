package dev.midstream.testkit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka 4.2 broker (KRaft, combined broker and controller) running in this JVM on 127.0.0.1.
 * Its log directory survives a restart: started again on the same directory, it keeps its topics and records.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;
    private Admin admin;

    /**
     * @param logDir where the broker keeps its data (created if missing; reused if formatted)
     * @param port the client port on 127.0.0.1; 0 picks a free one
     */
    public EmbeddedKafkaBroker(Path logDir, int port) {
        this(logDir, port, null);
    }

    /**
     * A second client listener, SASL_SSL on 127.0.0.1: TLS with the broker's PKCS12 key store, and SASL PLAIN for
     * {@code users} (name → password). Inter-broker and controller traffic stays plaintext.
     */
    public record SecuredListener(int port, Path keyStore, String keyStorePassword, Map<String, String> users) {
        public SecuredListener {
            port = FreePort.orPick(port);
        }

        public String bootstrapServers() {
            return "127.0.0.1:" + port;
        }
    }

    private final SecuredListener secured;

    public EmbeddedKafkaBroker(Path logDir, int port, SecuredListener secured) {
        this.secured = secured;
        this.logDir = logDir.toAbsolutePath();
        this.port = FreePort.orPick(port);
        this.controllerPort = controllerPort(this.logDir);
    }

    /** The controller port a log directory was formatted with: the KRaft quorum keeps its voters' addresses. */
    private static int controllerPort(Path logDir) {
        Path file = logDir.resolve("midstream-controller-port");
        try {
            if (Files.exists(file)) {
                return Integer.parseInt(Files.readString(file).strip());
            }
            int picked = FreePort.pick();
            Files.createDirectories(logDir);
            Files.writeString(file, Integer.toString(picked));
            return picked;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public synchronized EmbeddedKafkaBroker start() throws IOException {
        if (server != null) {
            return this;
        }
        long start = System.nanoTime();
        Files.createDirectories(logDir);
        Properties props = properties();
        Path propsFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "Midstream embedded broker");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int code = StorageTool.execute(
                    new String[] {"format", "-t", clusterId(), "-c", propsFile.toString(), "--ignore-formatted"},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (code != 0) {
                throw new IOException("formatting Kafka storage in " + logDir + " failed: " + output);
            }
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        awaitReady();
        LOG.info("Kafka broker started on {} in {} ms (data in {})", bootstrapServers(),
                (System.nanoTime() - start) / 1_000_000, logDir);
        return this;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String securedListener = secured == null ? "" : ",SASL_SSL://127.0.0.1:" + secured.port();
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                + securedListener);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + securedListener);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                + (secured == null ? "" : ",SASL_SSL:SASL_SSL"));
        if (secured != null) {
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            secured.users().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"")
                    .append(password).append('"'));
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.append(';').toString());
            p.put("listener.name.sasl_ssl.ssl.keystore.location", secured.keyStore().toString());
            p.put("listener.name.sasl_ssl.ssl.keystore.password", secured.keyStorePassword());
            p.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        }
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        // Kafka 4's share-group state topic defaults to 3 replicas, more than one broker has.
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // Clean topics carry each record's event time as its timestamp, and the generated data's event times start
        // at a fixed date (MessyOrderGenerator.EPOCH): with the default 7-day retention, once that date is a week
        // old, the broker's retention check (30 s after start, then every 5 min) deletes them under running tests.
        p.put("log.retention.ms", "-1");
        p.put("message.max.bytes", Integer.toString(8 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        return p;
    }

    private String clusterId() throws IOException {
        Path file = logDir.resolve("midstream-cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Kafka broker on " + bootstrapServers() + " did not become ready", e);
                }
                sleep(100);
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates the topic unless it exists. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates the topic, with topic-level configuration, unless it exists. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("creating topic " + name + " failed", e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + name + " failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        admin.close();
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
