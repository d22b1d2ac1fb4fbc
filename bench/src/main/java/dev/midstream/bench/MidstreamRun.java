package dev.midstream.bench;

import dev.midstream.config.CleanseConfig;
import dev.midstream.config.ConfigSource;
import dev.midstream.job.CleanseJob;
import dev.midstream.job.PipelinesJob;
import dev.midstream.pipeline.PipelineSpec;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Midstream's orders pipeline as users run it ({@code PipelinesJob} with {@code pipelines/orders.yaml}: parse,
 * validate, normalize, dedup, mask, upsert, dead letters to a topic and a table), or the hand-built orders job
 * ({@code CleanseJob}, whose sink batches upserts through UNNEST arrays). The clean topic is left out: it is the
 * next layer's hand-off, not part of the comparison.
 */
final class MidstreamRun {
    static final String SALT = "bench-salt-0123456789abcdef0123456789";

    private final Services services;
    private final FlinkRunner flink;
    private final Path dir;

    MidstreamRun(Services services, FlinkRunner flink, Path dir) {
        this.services = services;
        this.flink = flink;
        this.dir = dir;
    }

    static Map<String, String> options(String bootstrap, String topic, String group, String jdbcUrl, boolean bounded) {
        Map<String, String> o = new HashMap<>();
        o.put("midstream.source.bootstrap-servers", bootstrap);
        o.put("midstream.source.topic", topic);
        o.put("midstream.source.group-id", group);
        o.put("midstream.source.starting-offsets", "earliest");
        o.put("midstream.source.bounded", Boolean.toString(bounded));
        o.put("midstream.source.max-record-bytes", Integer.toString(64 * 1024));
        o.put("midstream.validation.local-time-zone", Workload.SHOP_ZONE.getId());
        o.put("midstream.sink.jdbc-url", jdbcUrl);
        o.put("midstream.sink.create-tables", "true");
        o.put("midstream.deadletter.topic", topic + ".dead-letters." + group);
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
        if (text.contains("dwd.orders")) {
            throw new IllegalStateException("pipelines/orders.yaml changed shape; update MidstreamRun.pipelineFile");
        }
        Path file = Files.createDirectories(dir.resolve("pipelines")).resolve(topic + "-" + deadLetterTopic.hashCode() + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    /** Starts the job over {@code topic}; {@code handBuilt} runs {@code CleanseJob} instead of the pipeline file. */
    JobClient start(StreamExecutionEnvironment env, String topic, String group, String jdbcUrl, boolean bounded,
            boolean handBuilt) throws Exception {
        Map<String, String> options = options(services.bootstrap, topic, group, jdbcUrl, bounded);
        services.createTopic(options.get("midstream.deadletter.topic"), 1);
        CleanseConfig config = CleanseConfig.load(ConfigSource.of(options, "bench"), env()::get);
        if (handBuilt) {
            return CleanseJob.start(env, config);
        }
        List<PipelineSpec> pipelines = PipelinesJob.read(
                List.of(pipelineFile(topic, options.get("midstream.deadletter.topic"))), env()::get);
        return PipelinesJob.start(env, config, pipelines);
    }

    Result throughput(String name, Workload workload, FlinkRunner.Setup setup, boolean handBuilt, CpuMeter cpu)
            throws Exception {
        String run = Bench.database(name);
        String jdbcUrl = services.database(run);
        StreamExecutionEnvironment env = flink.environment(setup, run);
        CpuMeter.Sample before = cpu.sample();
        long start = System.nanoTime();
        JobClient job = start(env, workload.topic, run, jdbcUrl, true, handBuilt);
        Result.Checkpoints checkpoints = flink.await(job, FlinkRunner.restPort(env), Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Sample used = cpu.sample().minus(before);
        return new Result(name, handBuilt ? "midstream-hand-built" : "midstream", seconds, workload.events,
                Tables.count(jdbcUrl, "orders"), Tables.count(jdbcUrl, "dead_letters"), used, checkpoints, null, null);
    }
}
