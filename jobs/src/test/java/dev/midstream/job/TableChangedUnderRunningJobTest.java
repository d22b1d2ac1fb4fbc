package dev.midstream.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The orders table changes under the running job, as a DBA might change it: a column narrowed, the table renamed
 * away and back, a column dropped and added again. Rows that no longer fit the narrowed column become dead letters
 * naming it; while the table or column is gone the job fails with a message naming it and restarts with back-off;
 * once it is back, every order is there: none lost, none changed.
 */
class TableChangedUnderRunningJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Duration PHASE = Duration.ofMinutes(2);

    @Test
    void narrowedColumnsBecomeDeadLettersAndAMissingTableOrColumnWaitsUntilItIsBack(@TempDir Path dir)
            throws Exception {
        TestDatabase db = POSTGRES.newDatabase("changed");
        UnboundedOrdersJob orders = UnboundedOrdersJob.of(KAFKA, "changed-orders", db.jdbcUrl(), dir,
                Map.of("midstream.sink.max-retries", "0"));
        String topic = orders.topic();
        Map<String, String> expected = new TreeMap<>();
        try (CapturedLogs logs = new CapturedLogs()) {
            JobClient client = TestJobs.start(TestEnvironments.backingOff(dir.resolve("checkpoints")),
                    orders.options(), orders.job());
            try {
                produce(topic, "a", 40, "web", expected);
                awaitRows(db, expected.size(), 0);

                // Narrowed: orders from a channel longer than five characters no longer fit.
                execute(db, "ALTER TABLE orders ALTER COLUMN channel TYPE varchar(5)");
                produce(topic, "b", 20, "app", expected);
                Map<String, String> misfits = new TreeMap<>();
                produce(topic, "c", 10, "marketplace", misfits);
                awaitRows(db, expected.size(), misfits.size());
                try (Connection c = db.connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*), min(field), min(reason), max(rule)"
                             + " FROM dead_letters WHERE stage = 'sink'")) {
                    rs.next();
                    assertEquals(10, rs.getLong(1), "every order that no longer fits is a dead letter");
                    assertEquals("channel", rs.getString(2));
                    assertEquals("column_overflow", rs.getString(4));
                    assertTrue(rs.getString(3).contains("varchar(5) holds at most 5"), rs.getString(3));
                }

                // Renamed away: the job waits, naming the table, and writes everything once it is back.
                execute(db, "ALTER TABLE orders RENAME TO orders_moved");
                produce(topic, "d", 20, "store", expected);
                await("the failure names the missing table").atMost(PHASE).until(() -> logs.lines().stream()
                        .anyMatch(l -> l.contains("Table orders does not exist (any more): renamed or dropped")));
                Thread.sleep(3_000);
                execute(db, "ALTER TABLE orders_moved RENAME TO orders");
                awaitRows(db, expected.size(), misfits.size());

                // A column dropped: the same, naming the column and how to add it back.
                execute(db, "ALTER TABLE orders DROP COLUMN customer_phone_masked");
                // The column's values go with it: the rows written so far come back without a phone.
                expected.replaceAll((id, row) -> row.replaceFirst("\\|[^|]*\\|", "|null|"));
                produce(topic, "e", 20, "web", expected);
                await("the failure names the missing column").atMost(PHASE).until(() -> logs.lines().stream()
                        .anyMatch(l -> l.contains("Table orders has no column customer_phone_masked (any more)")
                                && l.contains("ADD COLUMN \"customer_phone_masked\" text")));
                execute(db, "ALTER TABLE orders ADD COLUMN customer_phone_masked text");
                awaitRows(db, expected.size(), misfits.size());
            } finally {
                client.cancel().get();
            }
        }
        try (Connection c = db.connect()) {
            MapAssert.assertSameEntries("orders after the table changed three times", expected,
                    HandMadeOrders.actualRows(c));
        }
    }

    private static void produce(String topic, String prefix, int count, String channel, Map<String, String> rows)
            throws Exception {
        HandMadeOrders.send(KAFKA.bootstrapServers(), topic, prefix, count, channel, rows);
    }

    private static void awaitRows(TestDatabase db, int orders, int sinkLetters) {
        await().atMost(PHASE).pollInterval(Duration.ofMillis(250)).until(() -> {
            try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM dead_letters WHERE stage = 'sink')")) {
                rs.next();
                return rs.getLong(1) == orders && rs.getLong(2) == sinkLetters;
            } catch (java.sql.SQLException tableAway) {
                return false;
            }
        });
    }

    private static void execute(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
