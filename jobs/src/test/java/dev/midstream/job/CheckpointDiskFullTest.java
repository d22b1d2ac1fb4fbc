package dev.midstream.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.testkit.KafkaExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.Requirements;
import dev.midstream.testkit.TestDatabase;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The disk that holds the checkpoints fills up under the running job (a 3 MB tmpfs, filled by another writer).
 * Checkpoints fail with "No space left on device"; after {@code execution.checkpointing.tolerable-failed-checkpoints}
 * (3, as in production) the job fails over and restarts from its last completed checkpoint, which is still on the disk,
 * and keeps doing so with back-off; rows go on being written (the sink flushes before each checkpoint, idempotently).
 * Once there is space again, checkpoints complete and every order is in the table exactly once.
 * Needs to mount a tmpfs (root with CAP_SYS_ADMIN), so it is not in {@code ./mvnw verify}: run it with
 * {@code ./mvnw -Pprivileged -pl jobs verify -Dtest=CheckpointDiskFullTest}.
 */
@Tag("privileged")
class CheckpointDiskFullTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void checkpointsFailWhileTheDiskIsFullAndTheJobLosesNothing(@TempDir Path dir) throws Exception {
        Path disk = Files.createDirectories(dir.resolve("checkpoint-disk"));
        if (run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk.toString()) != 0) {
            Requirements.missing("CheckpointDiskFullTest mounts a 3 MB tmpfs for its checkpoints: run it as root with"
                    + " CAP_SYS_ADMIN (mount -t tmpfs must work)");
        }
        try {
            TestDatabase db = POSTGRES.newDatabase("disk_full");
            UnboundedOrdersJob orders = UnboundedOrdersJob.of(KAFKA, "disk-full-orders", db.jdbcUrl(), dir, Map.of());
            String topic = orders.topic();
            StreamExecutionEnvironment env = TestEnvironments.backingOff(disk);
            Configuration production = new Configuration();
            production.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
            env.configure(production);
            Map<String, String> expected = new TreeMap<>();
            try (CapturedLogs logs = new CapturedLogs()) {
                JobClient client = TestJobs.start(env, orders.options(), orders.job());
                try {
                    HandMadeOrders.send(KAFKA.bootstrapServers(), topic, "a", 40, "web", expected);
                    UnboundedOrdersJob.awaitOrders(db.jdbcUrl(), 40);

                    Path filler = disk.resolve("filler");
                    fill(filler);
                    HandMadeOrders.send(KAFKA.bootstrapServers(), topic, "b", 30, "app", expected);
                    await("checkpoints fail for want of space").atMost(Duration.ofMinutes(2)).until(() -> logs.lines()
                            .stream().anyMatch(l -> l.contains("No space left on device")));
                    await("the job fails over after three failed checkpoints").atMost(Duration.ofMinutes(2))
                            .until(() -> logs.lines().stream().anyMatch(l -> l.contains("tolerable failure threshold")));

                    Files.delete(filler);
                    int before = completed(logs);
                    await("checkpoints complete again").atMost(Duration.ofMinutes(2)).until(() -> completed(logs) > before);
                    UnboundedOrdersJob.awaitOrders(db.jdbcUrl(), 70);
                    assertEquals(JobStatus.RUNNING, client.getJobStatus().get());
                } finally {
                    client.cancel().get();
                }
            }
            try (Connection c = db.connect()) {
                MapAssert.assertSameEntries("orders after the checkpoint disk was full", expected,
                        HandMadeOrders.actualRows(c));
            }
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    private static int completed(CapturedLogs logs) {
        return (int) logs.lines().stream().filter(l -> l.contains("Completed checkpoint")).count();
    }

    /** Writes {@code file} until the disk refuses more. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
