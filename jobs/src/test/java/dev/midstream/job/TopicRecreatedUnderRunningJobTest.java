package dev.midstream.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The source topic is deleted under the running job and created again. While it is gone the job keeps running (the
 * Kafka consumer waits for the topic); once it is back, the source finds the new partitions empty below its old
 * position, resets to the earliest offset ({@code midstream.source.starting-offsets: committed-or-earliest}) and reads
 * the new topic from its start: every order of both topics lands.
 */
class TopicRecreatedUnderRunningJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void aDeletedTopicIsWaitedForAndAReCreatedOneIsReadFromItsStart(@TempDir Path dir) throws Exception {
        TestDatabase db = POSTGRES.newDatabase("recreated");
        UnboundedOrdersJob orders = UnboundedOrdersJob.of(KAFKA, "recreated-orders", db.jdbcUrl(), dir, Map.of());
        String topic = orders.topic();
        Map<String, String> expected = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            JobClient client = TestJobs.start(TestEnvironments.backingOff(dir.resolve("checkpoints")),
                    orders.options(), orders.job());
            try {
                HandMadeOrders.send(KAFKA.bootstrapServers(), topic, "a", 40, "web", expected);
                UnboundedOrdersJob.awaitOrders(db.jdbcUrl(), 40);
                admin.deleteTopics(List.of(topic)).all().get();
                Thread.sleep(5_000);
                assertEquals(JobStatus.RUNNING, client.getJobStatus().get(), "a deleted topic does not stop the job");
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
                Thread.sleep(2_000);
                HandMadeOrders.send(KAFKA.bootstrapServers(), topic, "b", 30, "app", expected);
                UnboundedOrdersJob.awaitOrders(db.jdbcUrl(), 70);
                assertEquals(JobStatus.RUNNING, client.getJobStatus().get());
            } finally {
                client.cancel().get();
            }
        }
        try (Connection c = db.connect()) {
            MapAssert.assertSameEntries("orders from the topic and from its re-created namesake", expected,
                    HandMadeOrders.actualRows(c));
        }
    }
}
