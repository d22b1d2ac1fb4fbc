package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.engine.Connectors;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.model.Database;
import dev.midstream.model.JobSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.KafkaTestClients;
import dev.midstream.testkit.MariaDbExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.testkit.debezium.DebeziumProcess;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Change events from a real Debezium connector (the embedded engine 3.6.1 with the PostgreSQL connector, pgoutput, on
 * the test kit's PostgreSQL, in a JVM of its own, writing to the test broker with the JSON converter's schema wrapper)
 * through the shipped {@code pipelines/products-debezium.yaml} into PostgreSQL and into MariaDB. The source sees an
 * initial snapshot, inserts, updates (single rows and many rows per statement, in multi-statement transactions),
 * deletes, a delete and re-insert of one key, primary-key changes, a crash of the connector (SIGKILL: it replays from
 * its last offset commit), a re-snapshot (a new slot and new offsets) and a replay of part of the topic after all of
 * it (a Connect worker's redelivery). At the end each target table holds exactly
 * the source's rows, and the deleted ones flagged; with an injected task failure in the Midstream job too.
 */
class DebeziumChangeStreamIntegrationTest {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @TempDir
    static Path dir;

    private static String topic;
    /** The source table at the end: id → name|description|price|weight|updated_at. */
    private static Map<Long, String> expected;
    /** Every id that existed and does not any more. */
    private static Set<Long> deleted;
    private static int changeEvents;
    private static int tombstones;

    @BeforeAll
    static void captureChangesWithDebezium() throws Exception {
        TestDatabase source = POSTGRES.newDatabase("dbz_source");
        String prefix = "dbz" + System.nanoTime() % 100_000;
        topic = prefix + ".inventory.products";
        KAFKA.createTopic(topic, 3);
        KAFKA.createTopic(prefix + ".inventory.markers", 1);
        Source db = new Source(source, new Random(16));
        db.create();
        db.insert(150);

        // Kept after the run (target/), so the connector's logs are there to read when something fails.
        Path data = Path.of("target", "debezium-it", prefix).toAbsolutePath();
        DebeziumProcess debezium = DebeziumProcess.start(connector(source, prefix, "midstream_a", data.resolve("a.offsets")),
                data, "first");
        db.awaitMarker(debezium, prefix);
        db.changes(300);
        db.awaitMarker(debezium, prefix);

        debezium.kill();
        db.changes(100);
        debezium = DebeziumProcess.start(connector(source, prefix, "midstream_a", data.resolve("a.offsets")), data,
                "after-crash");
        db.awaitMarker(debezium, prefix);
        db.changes(100);
        db.awaitMarker(debezium, prefix);

        // A re-snapshot, as after the connector was reset: a new slot, no offsets, every row read again.
        debezium.stop();
        db.dropSlot("midstream_a");
        debezium = DebeziumProcess.start(connector(source, prefix, "midstream_b", data.resolve("b.offsets")), data,
                "re-snapshot");
        db.awaitMarker(debezium, prefix);
        db.changes(100);
        db.awaitMarker(debezium, prefix);
        debezium.stop();
        db.dropSlot("midstream_b");

        replayTheMiddleOfEachPartition();
        expected = db.rows();
        deleted = new TreeSet<>(db.everInserted);
        deleted.removeAll(expected.keySet());
        List<ConsumerRecord<byte[], byte[]>> events = KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), topic,
                Duration.ofSeconds(30));
        writeForReading(events, data.resolve("topic.txt"));
        changeEvents = events.size();
        tombstones = (int) events.stream().filter(e -> e.value() == null).count();
        assertEquals(2, snapshots(events), "snapshots: the initial one and the re-snapshot, none after the crash");
        assertTrue(expected.size() > 100 && deleted.size() > 30, expected.size() + " rows, " + deleted.size() + " deleted");
        assertTrue(tombstones >= deleted.size(), "Debezium wrote a tombstone after each delete");
        assertTrue(events.stream().anyMatch(e -> e.value() != null && new String(e.value(), StandardCharsets.UTF_8)
                .contains("\"op\":\"r\"")), "snapshot reads");
    }

    /**
     * Sends the middle third of each partition again, after everything: what a Kafka Connect worker that dies between
     * producing and committing its offsets delivers (PostgreSQL's slot does not replay what Debezium confirmed, so the
     * connector's own restart above repeats little).
     */
    private static void replayTheMiddleOfEachPartition() {
        List<ConsumerRecord<byte[], byte[]>> events = KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), topic,
                Duration.ofSeconds(30));
        try (var producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
            for (int partition = 0; partition < 3; partition++) {
                int p = partition;
                List<ConsumerRecord<byte[], byte[]>> mine = events.stream().filter(e -> e.partition() == p).toList();
                for (ConsumerRecord<byte[], byte[]> e : mine.subList(mine.size() / 3, 2 * mine.size() / 3)) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, p, e.key(), e.value()));
                }
            }
            producer.flush();
        }
    }

    /** Debezium's snapshots in the topic, told apart by the LSN every read of one snapshot carries. */
    private static long snapshots(List<ConsumerRecord<byte[], byte[]>> events) {
        return events.stream().filter(e -> e.value() != null)
                .map(e -> new String(e.value(), StandardCharsets.UTF_8))
                .filter(value -> value.contains("\"op\":\"r\""))
                .map(value -> value.replaceAll(".*\"lsn\":(\\d+).*", "$1"))
                .distinct().count();
    }

    /** The topic as the job reads it, one event per line, kept with the connector's logs for when a table differs. */
    private static void writeForReading(List<ConsumerRecord<byte[], byte[]>> events, Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> e : events) {
            lines.add(e.partition() + "@" + e.offset() + " " + (e.key() == null ? "null" : new String(e.key(),
                    StandardCharsets.UTF_8)) + " " + (e.value() == null ? "null" : new String(e.value(), StandardCharsets.UTF_8)));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static Properties connector(TestDatabase source, String prefix, String slot, Path offsets) {
        Properties p = new Properties();
        p.setProperty("runner.bootstrap-servers", KAFKA.bootstrapServers());
        p.setProperty("name", "midstream-test-" + slot);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsets.toString());
        // Offsets are committed after every batch, so the crash below finds its offsets past the initial snapshot and
        // replays only the batch it was killed in. With a long interval the one commit before the kill can fall in the
        // middle of the snapshot; the restart then snapshots again and never streams the deletes made while it was
        // down (a snapshot has no deletes) - most likely why 25 deleted rows stayed live, none missing or different,
        // in one CI run.
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", source.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        p.setProperty("database.user", "postgres");
        p.setProperty("database.password", "postgres");
        p.setProperty("database.dbname", source.name());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", "midstream_pub");
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "inventory.products,inventory.markers");
        p.setProperty("topic.prefix", prefix);
        p.setProperty("snapshot.mode", "initial");
        return p;
    }

    /** The source database and the changes the test makes to it. */
    private static final class Source {
        final TestDatabase db;
        final Random random;
        final Set<Long> everInserted = new TreeSet<>();
        final List<Long> live = new ArrayList<>();
        long nextId = 1;
        int markers;

        Source(TestDatabase db, Random random) {
            this.db = db;
            this.random = random;
        }

        void create() throws Exception {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA inventory");
                s.execute("CREATE TABLE inventory.products (id bigint PRIMARY KEY, name text NOT NULL, description text,"
                        + " price numeric(10,2) NOT NULL, weight numeric(8,3), updated_at timestamptz(3))");
                s.execute("CREATE TABLE inventory.markers (id integer PRIMARY KEY)");
            }
        }

        void insert(int n) throws Exception {
            try (Connection c = db.connect()) {
                for (int i = 0; i < n; i++) {
                    insert(c, nextId++);
                }
            }
        }

        private void insert(Connection c, long id) throws Exception {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO inventory.products VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setLong(1, id);
                s.setString(2, "product " + id + " v" + random.nextInt(1000));
                s.setString(3, random.nextInt(4) == 0 ? null : "about " + id + " – ünïcode ✓");
                s.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(10_000_000), 2));
                s.setBigDecimal(5, random.nextInt(3) == 0 ? null : BigDecimal.valueOf(random.nextInt(9_999_999), 3));
                s.setTimestamp(6, Timestamp.from(Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000_000))));
                s.executeUpdate();
            }
            everInserted.add(id);
            live.add(id);
        }

        /** {@code n} random changes in transactions of one to five statements. */
        void changes(int n) throws Exception {
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                int done = 0;
                while (done < n) {
                    int statements = 1 + random.nextInt(5);
                    for (int i = 0; i < statements && done < n; i++, done++) {
                        change(c);
                    }
                    c.commit();
                }
            }
        }

        private void change(Connection c) throws Exception {
            int kind = random.nextInt(20);
            if (kind < 5 || live.size() < 20) {
                insert(c, nextId++);
            } else if (kind < 11) {
                long id = live.get(random.nextInt(live.size()));
                try (PreparedStatement s = c.prepareStatement("UPDATE inventory.products SET price = ?, description = ?,"
                        + " updated_at = updated_at + interval '1 second' WHERE id = ?")) {
                    s.setBigDecimal(1, BigDecimal.valueOf(random.nextInt(10_000_000), 2));
                    s.setString(2, random.nextBoolean() ? null : "changed " + random.nextInt(100));
                    s.setLong(3, id);
                    s.executeUpdate();
                }
            } else if (kind < 13) {
                int modulus = 7 + random.nextInt(5);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE inventory.products SET weight = coalesce(weight, 0) + 0.001, name = name || '+'"
                            + " WHERE id % " + modulus + " = " + random.nextInt(modulus));
                }
            } else if (kind < 17) {
                long id = live.remove(random.nextInt(live.size()));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM inventory.products WHERE id = " + id);
                }
                if (kind == 16) {
                    insert(c, id); // the same key again, in the same transaction
                }
            } else if (kind < 19) {
                long id = live.remove(random.nextInt(live.size()));
                long to = nextId++;
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE inventory.products SET id = " + to + " WHERE id = " + id);
                }
                everInserted.add(to);
                live.add(to);
            } else {
                long id = live.remove(random.nextInt(live.size()));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM inventory.products WHERE id = " + id);
                }
            }
        }

        /**
         * Inserts a marker row and waits until Debezium has sent it, streamed or read by a snapshot still under way:
         * everything before it is in Kafka.
         */
        void awaitMarker(DebeziumProcess debezium, String prefix) throws Exception {
            int marker = ++markers;
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO inventory.markers VALUES (" + marker + ")");
            }
            String streamed = "\"after\":{\"id\":" + marker + "}";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (true) {
                assertTrue(debezium.alive(), () -> "Debezium exited: " + log(debezium));
                boolean seen = KafkaTestClients.consumeAll(KAFKA.bootstrapServers(), prefix + ".inventory.markers",
                        Duration.ofSeconds(30)).stream().anyMatch(r -> r.value() != null
                        && new String(r.value(), StandardCharsets.UTF_8).contains(streamed));
                if (seen) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, () -> "marker " + marker + " not streamed: " + log(debezium));
                Thread.sleep(250);
            }
        }

        void dropSlot(String slot) throws Exception {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            }
        }

        Map<Long, String> rows() throws Exception {
            try (Connection c = db.connect()) {
                return DebeziumChangeStreamIntegrationTest.rows(c, "inventory.products", "");
            }
        }
    }

    private static String log(DebeziumProcess debezium) {
        try {
            List<String> lines = Files.readAllLines(debezium.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** id → name|description|price|weight|updated_at of {@code table}'s rows matching {@code where}. */
    private static Map<Long, String> rows(Connection c, String table, String where) throws Exception {
        Map<Long, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, name, description, price,"
                + " weight, updated_at FROM " + table + where)) {
            while (r.next()) {
                BigDecimal weight = r.getBigDecimal(5);
                rows.put(r.getLong(1), String.join("|", r.getString(2), String.valueOf(r.getString(3)),
                        r.getBigDecimal(4).toPlainString(), weight == null ? "null" : weight.toPlainString(),
                        r.getObject(6) == null ? "null" : OrdersScenario.instant(r, 6).toString()));
            }
        }
        return rows;
    }

    private static Set<Long> flagged(Connection c) throws Exception {
        Set<Long> ids = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM products WHERE deleted")) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    @ParameterizedTest(name = "{0}, injected failure: {1}")
    @CsvSource({"POSTGRESQL, false", "MARIADB, false", "POSTGRESQL, true", "MARIADB, true"})
    void theTargetTableEqualsTheSourceTable(Database database, boolean fault) throws Exception {
        String name = "products_" + database.name().toLowerCase() + "_" + fault;
        TestDatabase target = database == Database.MARIADB ? MARIADB.newDatabase(name) : POSTGRES.newDatabase(name);
        Map<String, String> values = new java.util.HashMap<>(Map.of(
                "midstream.kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "midstream.source.group-id", name,
                "midstream.source.starting-offsets", "earliest",
                "midstream.source.bounded", "true",
                "midstream.jdbc.url", target.jdbcUrl(),
                "midstream.sink.batch-size", "100"));
        JobOptions options = TestJobs.options(values);
        Path files = Files.createTempDirectory(dir, name);
        JobSpec job = JobFiles.pipelines(List.of(PipelineFiles.copy(Path.of("../pipelines/products-debezium.yaml"),
                files, Map.of("[shop.inventory.products]", "[" + topic + "]"))), OrdersScenario.env()::get);
        String failure = "fail-after-checkpoint-" + System.nanoTime();
        Connectors connectors = KafkaJdbcConnectors.of(options);
        JobClient client = TestJobs.start(environment(), options, job,
                fault ? new FaultyTables(connectors, failure) : connectors);
        client.getJobExecutionResult().get(4, TimeUnit.MINUTES);
        if (fault) {
            assertTrue(FailOnceAfterCheckpoint.FAILED.getOrDefault(failure, false), "the injected failure happened");
        }

        try (Connection c = target.connect()) {
            MapAssert.assertSameEntries("live rows in " + database.displayName(), expected,
                    rows(c, "products", " WHERE NOT deleted"));
            assertEquals(deleted, flagged(c), "the deleted products, flagged");
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM products_dead_letters")) {
                r.next();
                assertEquals(0, r.getInt(1), "nothing Debezium wrote is refused");
            }
        }
        if (!fault) {
            assertAccountedFor(client.getJobID());
        }
    }

    private static void assertAccountedFor(JobID job) {
        Map<String, Long> counters = JobCounters.of(METRICS, job);
        long read = counters.get("read");
        assertEquals(changeEvents, read, "every change event read once");
        assertEquals((long) tombstones, counters.get("change.skipped.tombstone"), "tombstones are skipped");
        assertEquals(read + counters.getOrDefault("expanded", 0L), counters.get("written") + counters.get("rejected")
                + counters.get("deduplicated") + counters.get("skipped"),
                "read + expanded = written + rejected + deduplicated + skipped: " + counters);
        assertTrue(counters.get("dedup.duplicate") > 0 && counters.get("dedup.stale") > 0,
                "the replays were duplicates or stale: " + counters);
    }

    private StreamExecutionEnvironment environment() {
        return TestEnvironments.withFailover(dir.resolve("checkpoints"));
    }
}
