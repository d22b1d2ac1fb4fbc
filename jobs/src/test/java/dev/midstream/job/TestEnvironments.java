package dev.midstream.job;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The environments job tests submit to their MiniCluster: generic types off (no Kryo for our types), and either no
 * checkpoints and no restarts, or checkpoints on local disk and three quick restarts.
 */
final class TestEnvironments {
    private TestEnvironments() {}

    static StreamExecutionEnvironment plain(int parallelism) {
        Configuration conf = base(parallelism);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /** Parallelism 2, a checkpoint every 200 ms, restarts after a failure. */
    static StreamExecutionEnvironment withFailover(Path checkpoints) {
        return checkpointed(checkpoints, 2, Duration.ofMillis(200), true);
    }

    static StreamExecutionEnvironment checkpointed(Path checkpoints, int parallelism, Duration interval,
            boolean restarts) {
        Configuration conf = base(parallelism);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restarts ? "fixed-delay" : "none");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /**
     * Parallelism 2, a checkpoint every 200 ms, and the production restart strategy's shape: restarts without end,
     * backing off exponentially (200 ms to 2 s), for faults that last until someone fixes them.
     */
    static StreamExecutionEnvironment backingOff(Path checkpoints) {
        StreamExecutionEnvironment env = checkpointed(checkpoints, 2, Duration.ofMillis(200), true);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofMillis(200));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(2));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        env.configure(conf);
        return env;
    }

    private static Configuration base(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        return conf;
    }
}
