package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.config.ConfigException;
import dev.midstream.config.ConfigSource;
import dev.midstream.enrich.JdbcLookupEnricher;
import dev.midstream.layer.TransformJobSpec;
import dev.midstream.layer.TransformTopology;
import dev.midstream.pipeline.SinkSpec;
import dev.midstream.pipeline.TransformJobReader;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.RecordBatcher;
import dev.midstream.sink.RecordTable;
import dev.midstream.sink.SqlIdentifier;
import dev.midstream.source.CleanTopicSource;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Entry point for the second layer: one job runs one or more transform files.
 * {@code flink run -c dev.midstream.job.TransformJob midstream-jobs-flink.jar --config job.properties
 * --transform pipelines/sales.yaml}. Kafka, JDBC and sink tuning come from the job configuration (as for
 * {@link PipelinesJob}; no hashing salt is needed); the clean topics are read from the committed offsets of the
 * consumer group {@code <midstream.source.group-id>.<transform>}, or from the earliest offset the first time.
 */
public final class TransformJob {
    private static final Logger LOG = LoggerFactory.getLogger(TransformJob.class);

    private TransformJob() {}

    public static void main(String[] args) throws Exception {
        List<String> configArgs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--transform") && i + 1 < args.length) {
                files.add(Path.of(args[++i]));
            } else {
                configArgs.add(args[i]);
            }
        }
        CleanseConfig config;
        List<TransformJobSpec> jobs;
        try {
            config = CleanseConfig.loadWithoutSalt(ConfigSource.fromArgs(configArgs.toArray(String[]::new)), System::getenv);
            jobs = read(files);
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        JobClient client = start(StreamExecutionEnvironment.getExecutionEnvironment(), config, jobs);
        LOG.info("Submitted {} as job {}", jobName(jobs), client.getJobID());
    }

    /** Reads and checks every file; all problems of all files are reported together. */
    public static List<TransformJobSpec> read(List<Path> files) {
        if (files.isEmpty()) {
            throw new ConfigException(List.of("no transform file given; pass --transform <file> once per transform"));
        }
        List<String> problems = new ArrayList<>();
        List<TransformJobSpec> jobs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            try {
                TransformJobSpec spec = TransformJobReader.read(file);
                if (!names.add(spec.name())) {
                    problems.add(file + ": transform '" + spec.name() + "' is given twice; every transform of a job"
                            + " needs its own name (it prefixes the operator uids)");
                }
                jobs.add(spec);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return jobs;
    }

    public static JobClient start(StreamExecutionEnvironment env, CleanseConfig config, List<TransformJobSpec> jobs)
            throws Exception {
        return start(env, config, jobs, tableSinks(config));
    }

    /**
     * The JDBC upsert of each table, as the job attaches it: rows batched with one row per key
     * ({@link RecordBatcher}, uid {@code <sink uid>-batch}), one statement per batch.
     */
    public static TransformTopology.TableSinks tableSinks(CleanseConfig config) {
        return (rows, table, uid, name) -> ProductionSinks.batchedTable(rows, config, table, uid + "-batch",
                name + " (batch)").uid(uid).name(name);
    }

    /** With {@code tables} attaching the table sinks (tests wrap {@link #tableSinks} to inject failures). */
    public static JobClient start(StreamExecutionEnvironment env, CleanseConfig config, List<TransformJobSpec> jobs,
            TransformTopology.TableSinks tables) throws Exception {
        build(env, config, jobs, tables);
        return env.executeAsync(jobName(jobs));
    }

    /** Adds the transforms to {@code env} (creating their tables first if configured), without running it. */
    public static void build(StreamExecutionEnvironment env, CleanseConfig config, List<TransformJobSpec> jobs,
            TransformTopology.TableSinks tables) throws Exception {
        if (config.createTables) {
            createTables(config, jobs);
        }
        Properties credentials = config.jdbcCredentials();
        for (TransformJobSpec spec : jobs) {
            String group = config.groupId + "." + spec.name();
            TransformTopology.build(env, spec,
                    topic -> CleanTopicSource.of(config.bootstrapServers, topic, group, config.bounded),
                    (lookup, letters) -> new JdbcLookupEnricher(lookup, config.jdbcUrl, credentials, letters),
                    tables,
                    letters -> letters.sinkTo(ProductionSinks.deadLetterTable(config, spec.deadLetterTable()))
                            .uid(spec.name() + "/dead-letters").name(spec.name() + ": " + spec.deadLetterTable()));
        }
    }

    public static String jobName(List<TransformJobSpec> jobs) {
        return "midstream-transform-" + String.join("+", jobs.stream().map(TransformJobSpec::name).toList());
    }

    public static void createTables(CleanseConfig config, List<TransformJobSpec> jobs) throws SQLException {
        try (Connection connection = TableMigration.connect(config)) {
            for (TransformJobSpec spec : jobs) {
                for (SinkSpec table : spec.tables()) {
                    new RecordTable(table).create(connection);
                }
                DeadLetterTable.perStep(SqlIdentifier.of(spec.deadLetterTable())).create(connection);
                LOG.info("Transform {}: tables {} and {} are in place", spec.name(),
                        spec.tables().stream().map(SinkSpec::table).toList(), spec.deadLetterTable());
            }
        }
    }
}
