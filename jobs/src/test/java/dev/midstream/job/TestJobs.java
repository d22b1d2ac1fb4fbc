package dev.midstream.job;

import dev.midstream.engine.Connectors;
import dev.midstream.engine.JobGraphBuilder;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.engine.TableSetup;
import dev.midstream.model.JobSpec;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;

/**
 * A job as {@code flink run} submits it ({@link JobLauncher}): its tables created, its graph built by the one
 * {@link JobGraphBuilder}, with the production connectors or a test's wrapper of them.
 */
final class TestJobs {
    private TestJobs() {}

    static JobOptions options(Map<String, String> values) {
        return JobOptions.load(ConfigSource.of(values, "test"), OrdersScenario.env()::get);
    }

    static JobClient start(StreamExecutionEnvironment env, JobOptions options, JobSpec job) throws Exception {
        return start(env, options, job, KafkaJdbcConnectors.of(options));
    }

    static JobClient start(StreamExecutionEnvironment env, JobOptions options, JobSpec job, Connectors connectors)
            throws Exception {
        dev.midstream.engine.KafkaConnectionCheck.check(options.kafka());
        dev.midstream.engine.DatabaseConnectionCheck.check(options.jdbc());
        TableSetup.createTables(options, job);
        dev.midstream.function.RemoteHosts.check(job.pipelines());
        JobGraphBuilder.of(options).build(env, job, connectors);
        return env.executeAsync(job.name());
    }
}
