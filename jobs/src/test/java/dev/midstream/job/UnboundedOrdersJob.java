package dev.midstream.job;

import static org.awaitility.Awaitility.await;

import dev.midstream.model.JobSpec;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.testkit.KafkaExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped orders pipeline as a long-running job on a topic of its own, for the tests that change the world under
 * a running job (a table, the database, the topic, the checkpoint disk).
 */
record UnboundedOrdersJob(String topic, JobOptions options, JobSpec job) {

    /** A new topic (and its dead-letter topic) named from {@code prefix}; {@code extra} job options on top. */
    static UnboundedOrdersJob of(KafkaExtension kafka, String prefix, String jdbcUrl, Path dir, Map<String, String> extra)
            throws Exception {
        String topic = kafka.uniqueTopic(prefix, 2);
        kafka.createTopic(topic + ".dead-letters", 1);
        Map<String, String> values = new HashMap<>(OrdersScenario.jobOptions(kafka.bootstrapServers(), topic, jdbcUrl));
        values.remove("midstream.source.bounded");
        values.putAll(extra);
        JobSpec job = JobFiles.pipelines(List.of(PipelineFiles.copy(PipelineFiles.ORDERS,
                Files.createDirectories(dir.resolve("pipelines")), PipelineFiles.withoutCleanTopic("orders", Map.of(
                        "[ods.orders]", "[" + topic + "]", "ods.orders.dead-letters", topic + ".dead-letters")))),
                OrdersScenario.env()::get);
        return new UnboundedOrdersJob(topic, TestJobs.options(values), job);
    }

    /** Rows in the orders table; -1 while it cannot be read (gone, or the database full). */
    static long orders(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notNow) {
            return -1;
        }
    }

    static void awaitOrders(String jdbcUrl, int count) {
        await("orders in the table: " + count).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> orders(jdbcUrl) == count);
    }
}
