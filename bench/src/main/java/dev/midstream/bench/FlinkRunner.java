package dev.midstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.testkit.FreePort;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one job on a local Flink (a MiniCluster in this JVM, with its REST endpoint so checkpoint statistics can be
 * read while the job runs). Every run starts from the Flink configuration users get ({@code flink-conf/local} unless
 * {@code --flink-conf} names another directory), so a setting there is what the bench measures. The bench owns what
 * makes runs comparable and one JVM workable: parallelism and slots, state backend and incremental checkpoints as the
 * contender asks, the checkpoint interval and directory, no restarts (a failure must end the run), managed memory
 * (a MiniCluster sizes none from the process size), a free REST port, and no metric reporters (each run would
 * open the file's Prometheus ports again).
 */
final class FlinkRunner {
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    /** Read from the file but meaningless, or in the way, for a MiniCluster started once per run in this JVM. */
    private static final String[] NOT_IN_ONE_JVM = {TaskManagerOptions.TOTAL_PROCESS_MEMORY.key(),
            JobManagerOptions.TOTAL_PROCESS_MEMORY.key(), RestOptions.PORT.key()};

    private final Path checkpoints;
    private final Configuration base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    FlinkRunner(Path checkpoints, Configuration base) {
        this.checkpoints = checkpoints;
        this.base = new Configuration(base);
        for (String key : NOT_IN_ONE_JVM) {
            this.base.removeKey(key);
        }
        for (String key : this.base.keySet()) {
            if (key.startsWith("metrics.reporter.")) {
                this.base.removeKey(key);
            }
        }
    }

    /** The {@code config.yaml} of {@code dir}, as a Flink cluster started there would read it. */
    static Configuration load(Path dir) {
        if (!java.nio.file.Files.isRegularFile(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
            throw new IllegalArgumentException("--flink-conf " + dir + " has no "
                    + GlobalConfiguration.FLINK_CONF_FILENAME + " (the bench starts from flink-conf/local by default)");
        }
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    /** The same runner with {@code settings} on top of its configuration (keys as in {@code config.yaml}). */
    FlinkRunner with(Map<String, String> settings) {
        Configuration more = new Configuration(base);
        settings.forEach(more::setString);
        return new FlinkRunner(checkpoints, more);
    }

    record Setup(int parallelism, boolean rocksdb) {
        String label() {
            return "p=" + parallelism + ", " + (rocksdb ? "RocksDB" : "heap");
        }
    }

    /** An environment for one run; {@link #restPort(StreamExecutionEnvironment)} names where to poll it. */
    StreamExecutionEnvironment environment(Setup setup, String run) {
        // The runs share one JVM: the previous run's garbage (a heap-state run leaves gigabytes) must not be
        // collected on this run's time. Seen on 12-02: the contender after a heap run was the slowest of the run.
        System.gc();
        Configuration conf = new Configuration(base);
        conf.set(RestOptions.PORT, FreePort.pick());
        conf.set(CoreOptions.DEFAULT_PARALLELISM, setup.parallelism());
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(512));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, setup.parallelism());
        conf.set(StateBackendOptions.STATE_BACKEND, setup.rocksdb() ? "rocksdb" : "hashmap");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, setup.rocksdb());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CHECKPOINT_INTERVAL);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.resolve(run).toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    static int restPort(StreamExecutionEnvironment env) {
        return env.getConfiguration().get(RestOptions.PORT);
    }

    /** Waits for the job to end, polling its checkpoint statistics; returns the last ones seen. */
    Result.Checkpoints await(JobClient job, int restPort, Duration timeout) throws Exception {
        AtomicReference<Result.Checkpoints> last = new AtomicReference<>(Result.Checkpoints.NONE);
        long deadline = System.nanoTime() + timeout.toNanos();
        var result = job.getJobExecutionResult();
        while (!result.isDone()) {
            if (System.nanoTime() > deadline) {
                job.cancel().get();
                throw new IllegalStateException("job " + job.getJobID() + " did not finish in " + timeout);
            }
            Result.Checkpoints now = checkpoints(restPort, job.getJobID().toString());
            if (now != null) {
                last.set(now);
            }
            Thread.sleep(1000);
        }
        result.get();
        return last.get();
    }

    Result.Checkpoints checkpoints(int restPort, String jobId) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "/checkpoints"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            JsonNode stats = json.readTree(response.body());
            long completed = stats.at("/counts/completed").asLong();
            JsonNode e2e = stats.at("/summary/end_to_end_duration");
            return completed == 0 ? Result.Checkpoints.NONE
                    : new Result.Checkpoints(completed, e2e.path("avg").asLong(), e2e.path("max").asLong());
        } catch (Exception e) {
            return null; // the cluster is shutting down
        }
    }
}
