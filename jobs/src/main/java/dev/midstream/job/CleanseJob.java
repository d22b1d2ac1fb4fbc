package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.config.ConfigException;
import dev.midstream.config.ConfigSource;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the orders cleanse job: {@code flink run midstream-jobs-flink.jar --config orders.properties}.
 * Reads and validates the configuration, creates the tables, wires Kafka and PostgreSQL into
 * {@link CleanseTopology}. Checkpointing, state backend and restart strategy come from the Flink configuration.
 */
public final class CleanseJob {
    private static final Logger LOG = LoggerFactory.getLogger(CleanseJob.class);

    private CleanseJob() {}

    public static void main(String[] args) throws Exception {
        CleanseConfig config;
        try {
            config = CleanseConfig.load(ConfigSource.fromArgs(args));
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobClient client = start(env, config);
        LOG.info("Submitted {} as job {}", jobName(config), client.getJobID());
    }

    /** Creates the tables (if configured), builds the topology on {@code env} and submits it. */
    public static JobClient start(StreamExecutionEnvironment env, CleanseConfig config) throws Exception {
        if (config.createTables) {
            TableMigration.run(config);
        }
        CleanseTopology.build(env, ProductionSources.kafka(config), ProductionSinks.of(config), config);
        return env.executeAsync(jobName(config));
    }

    public static String jobName(CleanseConfig config) {
        return "midstream-" + config.pipeline + "-cleanse";
    }
}
