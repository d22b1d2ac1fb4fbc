package dev.midstream.job;

import dev.midstream.engine.JobGraphBuilder;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.engine.DatabaseConnectionCheck;
import dev.midstream.engine.CleanTopicRetentionCheck;
import dev.midstream.engine.KafkaConnectionCheck;
import dev.midstream.engine.TableSetup;
import dev.midstream.function.RemoteHosts;
import dev.midstream.model.ConfigException;
import dev.midstream.model.JobSpec;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * What {@code flink run} does with a Midstream job: read the configuration and the files (all problems at once),
 * create the tables, check the remote functions' hosts, build the job graph with the production connectors and submit it. The entry classes
 * ({@link PipelinesJob}, {@link TransformJob}) only call {@link #run}.
 */
public final class JobLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    private JobLauncher() {}

    static void run(String[] args) throws Exception {
        Submission submission;
        try {
            submission = Submission.of(JobArguments.parse(args), System::getenv);
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        KafkaConnectionCheck.check(submission.options().kafka());
        CleanTopicRetentionCheck.check(submission.options().kafka(), submission.job().pipelines());
        DatabaseConnectionCheck.check(submission.options().jdbc());
        if (submission.options().tables().createTables()) {
            TableSetup.createTables(submission.options(), submission.job());
        }
        RemoteHosts.check(submission.job().pipelines());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        submission.build(env);
        JobClient client = env.executeAsync(submission.job().name());
        LOG.info("Submitted {} as job {}", submission.job().name(), client.getJobID());
    }

    /** A job ready to build: its options and its files, read and checked. */
    public record Submission(JobOptions options, JobSpec job) {
        public static Submission of(JobArguments arguments, Function<String, String> env) {
            JobOptions options = null;
            JobSpec job = null;
            java.util.List<String> problems = new java.util.ArrayList<>();
            try {
                options = JobOptions.load(ConfigSource.fromArgs(arguments.configArguments()), env);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            try {
                job = JobFiles.read(arguments.pipelineFiles(), arguments.transformFiles(), env);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new Submission(options, job);
        }

        /** The job graph exactly as {@code flink run} submits it, with the production connectors. */
        public void build(StreamExecutionEnvironment env) {
            JobGraphBuilder.of(options).build(env, job, KafkaJdbcConnectors.of(options));
        }
    }
}
