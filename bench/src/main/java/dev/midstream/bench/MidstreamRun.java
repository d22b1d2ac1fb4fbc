package dev.midstream.bench;

import dev.midstream.engine.JobGraphBuilder;
import dev.midstream.engine.KafkaJdbcConnectors;
import dev.midstream.engine.TableSetup;
import dev.midstream.model.JobSpec;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Midstream's orders pipeline as users run it ({@code pipelines/orders.yaml} through the job's one builder: parse,
 * validate, normalize, dedup, mask, batched upserts, dead letters to a topic and a table). The clean topic is left
 * out: it is the next layer's hand-off, not part of the comparison.
 */
final class MidstreamRun {
    static final String SALT = "bench-salt-0123456789abcdef0123456789";
    /** The job's {@code midstream.source.max-record-bytes}: larger records go to dead letters unparsed. */
    static final int MAX_RECORD_BYTES = 64 * 1024;

    private final Services services;
    private final FlinkRunner flink;
    private final Path dir;
    private final String transform;
    private final Map<String, String> extraOptions;

    MidstreamRun(Services services, FlinkRunner flink, Path dir) {
        this(services, flink, dir, "", Map.of());
    }

    private MidstreamRun(Services services, FlinkRunner flink, Path dir, String transform,
            Map<String, String> extraOptions) {
        this.services = services;
        this.flink = flink;
        this.dir = dir;
        this.transform = transform;
        this.extraOptions = extraOptions;
    }

    /** The same pipeline with a {@code transform:} section (YAML) before its {@code pii:} section. */
    MidstreamRun withTransform(String section) {
        return new MidstreamRun(services, flink, dir, section, extraOptions);
    }

    /** The same job on another Flink configuration. */
    MidstreamRun withFlink(FlinkRunner other) {
        return new MidstreamRun(services, other, dir, transform, extraOptions);
    }

    /** The same job with one more job option, e.g. the quality history turned off. */
    MidstreamRun withOption(String key, String value) {
        Map<String, String> more = new HashMap<>(extraOptions);
        more.put(key, value);
        return new MidstreamRun(services, flink, dir, transform, Map.copyOf(more));
    }

    static Map<String, String> options(String bootstrap, String topic, String group, String jdbcUrl, boolean bounded) {
        Map<String, String> o = new HashMap<>();
        o.put("midstream.kafka.bootstrap-servers", bootstrap);
        o.put("midstream.source.group-id", group);
        o.put("midstream.source.starting-offsets", "earliest");
        o.put("midstream.source.bounded", Boolean.toString(bounded));
        o.put("midstream.source.max-record-bytes", Integer.toString(MAX_RECORD_BYTES));
        o.put("midstream.validation.local-time-zone", Workload.SHOP_ZONE.getId());
        o.put("midstream.jdbc.url", jdbcUrl);
        o.put("midstream.sink.create-tables", "true");
        return o;
    }

    static Map<String, String> env() {
        return Map.of("MIDSTREAM_PII_SALT", SALT);
    }

    /** {@code pipelines/orders.yaml} reading {@code topic}, without the clean topic, dead letters to its own topic. */
    Path pipelineFile(String topic, String deadLetterTopic) throws Exception {
        String text = Files.readString(Path.of("pipelines", "orders.yaml"))
                .replace("[ods.orders]", "[" + topic + "]")
                .replace("topic: ods.orders.dead-letters", "topic: " + deadLetterTopic)
                .replace("  # clean records for the next layer (pipelines/sales.yaml), exactly once\n  topic: dwd.orders\n", "");
        if (text.contains("dwd.orders") || !text.contains("\npii:\n") || text.contains("\ntransform:")) {
            throw new IllegalStateException("pipelines/orders.yaml changed shape; update MidstreamRun.pipelineFile");
        }
        text = text.replace("\npii:\n", "\n" + transform + "\npii:\n");
        Path file = Files.createDirectories(dir.resolve("pipelines"))
                .resolve(topic + "-" + (deadLetterTopic + transform).hashCode() + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    /** Starts the job over {@code topic}, as {@code flink run} would. */
    JobClient start(StreamExecutionEnvironment env, String topic, String group, String jdbcUrl, boolean bounded)
            throws Exception {
        Map<String, String> values = options(services.bootstrap, topic, group, jdbcUrl, bounded);
        values.putAll(extraOptions);
        JobOptions options = JobOptions.load(ConfigSource.of(values, "bench"), env()::get);
        String deadLetterTopic = topic + ".dead-letters." + group;
        services.createTopic(deadLetterTopic, 1);
        JobSpec job = JobFiles.pipelines(List.of(pipelineFile(topic, deadLetterTopic)), env()::get);
        TableSetup.createTables(options, job);
        JobGraphBuilder.of(options).build(env, job, KafkaJdbcConnectors.of(options));
        return env.executeAsync(job.name());
    }

    Result throughput(String name, Workload workload, FlinkRunner.Setup setup, CpuMeter cpu) throws Exception {
        return throughput(name, workload, setup, cpu, services.database(Bench.database(name)));
    }

    /** The same job writing to the database at {@code jdbcUrl} (PostgreSQL or MariaDB). */
    Result throughput(String name, Workload workload, FlinkRunner.Setup setup, CpuMeter cpu, String jdbcUrl)
            throws Exception {
        String run = Bench.database(name);
        StreamExecutionEnvironment env = flink.environment(setup, run);
        CpuMeter.Sample before = cpu.sample();
        long start = System.nanoTime();
        JobClient job = start(env, workload.topic, run, jdbcUrl, true);
        Result.Checkpoints checkpoints = flink.await(job, FlinkRunner.restPort(env), Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Sample used = cpu.sample().minus(before);
        return new Result(name, "midstream", seconds, workload.events,
                Tables.count(jdbcUrl, "orders"), Tables.count(jdbcUrl, "dead_letters"), used, checkpoints, null, null);
    }
}
