package dev.midstream.testkit;

import static org.junit.jupiter.api.Assertions.*;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

class EmbeddedServicesTest {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static void produce(String bootstrap, String topic, int count) {
        try (var producer = KafkaTestClients.producer(bootstrap)) {
            IntStream.range(0, count).forEach(i -> producer.send(
                    new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8))));
            producer.flush();
        }
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).sorted().toList();
    }

    @Test
    void brokerReturnsExactlyWhatWasProduced() {
        String topic = KAFKA.uniqueTopic("roundtrip", 2);
        produce(KAFKA.bootstrapServers(), topic, 100);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), topic, Duration.ofSeconds(30));
        assertEquals(IntStream.range(0, 100).mapToObj(i -> "v" + i).sorted().toList(), values(records));
    }

    @Test
    void databasesAreSeparateAndReachableOverJdbc() throws Exception {
        TestDatabase a = POSTGRES.newDatabase("kit");
        TestDatabase b = POSTGRES.newDatabase("kit");
        assertNotEquals(a.name(), b.name());
        try (Connection c = a.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
            try (ResultSet rs = s.executeQuery("SELECT string_agg(v, ',' ORDER BY id), version() FROM t")) {
                rs.next();
                assertEquals("one,two", rs.getString(1));
                assertTrue(rs.getString(2).startsWith("PostgreSQL 17"), rs.getString(2));
            }
        }
        assertTrue(a.jdbcUrl().startsWith("jdbc:postgresql://127.0.0.1:"), a.jdbcUrl());
    }

    @Test
    void brokerRestartedOnItsLogDirectoryKeepsTopicsAndRecords(@TempDir Path dir) throws Exception {
        String bootstrap;
        try (EmbeddedKafkaBroker first = new EmbeddedKafkaBroker(dir, 0).start()) {
            first.createTopic("kept", 1);
            produce(first.bootstrapServers(), "kept", 10);
        }
        try (EmbeddedKafkaBroker second = new EmbeddedKafkaBroker(dir, 0).start()) {
            bootstrap = second.bootstrapServers();
            assertEquals(10, KafkaTestClients.consumeAll(bootstrap, "kept", Duration.ofSeconds(30)).size());
        }
    }

    @Test
    void persistentPostgresKeepsItsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer first = new EmbeddedPostgresServer(dir, 0).start()) {
            first.createDatabase("kept");
            try (Connection c = java.sql.DriverManager.getConnection(first.jdbcUrl("kept")); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t AS SELECT 42 AS answer");
            }
        }
        try (EmbeddedPostgresServer second = new EmbeddedPostgresServer(dir, 0).start();
             Connection c = java.sql.DriverManager.getConnection(second.jdbcUrl("kept"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT answer FROM t")) {
            rs.next();
            assertEquals(42, rs.getInt(1));
        }
    }
}
