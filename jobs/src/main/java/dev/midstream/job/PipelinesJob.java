package dev.midstream.job;

import dev.midstream.config.CleanseConfig;
import dev.midstream.config.ConfigException;
import dev.midstream.config.ConfigSource;
import dev.midstream.pipeline.PipelineReader;
import dev.midstream.pipeline.PipelineSpec;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.RecordTable;
import dev.midstream.sink.SqlIdentifier;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Entry point for declarative pipelines: one job runs one or more pipeline files.
 * {@code flink run -c dev.midstream.job.PipelinesJob midstream-jobs-flink.jar --config job.properties
 * --pipeline pipelines/orders.yaml --pipeline pipelines/customers.yaml}. Connections (Kafka, JDBC) and sink
 * tuning come from the job configuration; what happens to each data set comes from its pipeline file.
 */
public final class PipelinesJob {
    private static final Logger LOG = LoggerFactory.getLogger(PipelinesJob.class);

    private PipelinesJob() {}

    public static void main(String[] args) throws Exception {
        List<String> configArgs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--pipeline") && i + 1 < args.length) {
                files.add(Path.of(args[++i]));
            } else {
                configArgs.add(args[i]);
            }
        }
        CleanseConfig config;
        List<PipelineSpec> pipelines;
        try {
            config = CleanseConfig.load(ConfigSource.fromArgs(configArgs.toArray(String[]::new)));
            pipelines = read(files, System::getenv);
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        JobClient client = start(StreamExecutionEnvironment.getExecutionEnvironment(), config, pipelines);
        LOG.info("Submitted {} as job {}", jobName(pipelines), client.getJobID());
    }

    /** Reads and checks every file; all problems of all files are reported together. */
    public static List<PipelineSpec> read(List<Path> files, Function<String, String> env) {
        if (files.isEmpty()) {
            throw new ConfigException(List.of("no pipeline given; pass --pipeline <file> once per data set"));
        }
        List<String> problems = new ArrayList<>();
        List<PipelineSpec> pipelines = new ArrayList<>();
        Set<String> names = new HashSet<>();
        var functions = dev.midstream.transform.FunctionCatalog.load();
        for (Path file : files) {
            try {
                PipelineSpec spec = PipelineReader.read(file, env, functions);
                if (!names.add(spec.name())) {
                    problems.add(file + ": pipeline '" + spec.name() + "' is given twice; every pipeline of a job needs"
                            + " its own name (it prefixes the operator uids)");
                }
                pipelines.add(spec);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return pipelines;
    }

    public static JobClient start(StreamExecutionEnvironment env, CleanseConfig config, List<PipelineSpec> pipelines)
            throws Exception {
        build(env, config, pipelines);
        return env.executeAsync(jobName(pipelines));
    }

    /** Adds the pipelines to {@code env} (creating their tables first if configured), without running it. */
    public static void build(StreamExecutionEnvironment env, CleanseConfig config, List<PipelineSpec> pipelines)
            throws Exception {
        requireCheckpointsForCleanTopics(env, pipelines);
        if (config.createTables) {
            createTables(config, pipelines);
        }
        PipelineSinks sinks = ProductionSinks.forPipeline(config);
        for (PipelineSpec spec : pipelines) {
            PipelineTopology.build(env, spec, kafka(config, spec), sinks, PipelineTopology.Defaults.of(config));
        }
    }

    /** A clean topic is written in transactions that commit on checkpoints: without checkpoints, nothing appears. */
    static void requireCheckpointsForCleanTopics(StreamExecutionEnvironment env, List<PipelineSpec> pipelines) {
        if (env.getCheckpointConfig().isCheckpointingEnabled()) {
            return;
        }
        List<String> problems = pipelines.stream().filter(p -> p.sink().topic() != null)
                .map(p -> p.file() + ": sink.topic: pipeline '" + p.name() + "' writes clean records to '"
                        + p.sink().topic() + "' exactly once, in Kafka transactions that commit on checkpoints, but"
                        + " checkpointing is off; set execution.checkpointing.interval (e.g. 10 s) in the Flink"
                        + " configuration, or remove sink.topic")
                .toList();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public static String jobName(List<PipelineSpec> pipelines) {
        return "midstream-" + String.join("+", pipelines.stream().map(PipelineSpec::name).toList());
    }

    /** The pipeline's Kafka source; its consumer group is the configured group id plus the pipeline name. */
    public static Source<RawRecord, ?, ?> kafka(CleanseConfig config, PipelineSpec spec) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(spec.source().topics())
                .setGroupId(config.groupId + "." + spec.name())
                .setStartingOffsets(ProductionSources.startingOffsets(config.startingOffsets))
                .setDeserializer(new dev.midstream.source.RawRecordDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", spec.name() + "-source");
        if (config.bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    public static void createTables(CleanseConfig config, List<PipelineSpec> pipelines) throws java.sql.SQLException {
        try (Connection connection = TableMigration.connect(config)) {
            for (PipelineSpec spec : pipelines) {
                new RecordTable(spec.sink()).create(connection);
                if (spec.deadLetters().table() != null) {
                    new DeadLetterTable(SqlIdentifier.of(spec.deadLetters().table())).create(connection);
                }
                LOG.info("Pipeline {}: tables {} and {} are in place", spec.name(), spec.sink().table(),
                        spec.deadLetters().table());
            }
        }
    }
}
