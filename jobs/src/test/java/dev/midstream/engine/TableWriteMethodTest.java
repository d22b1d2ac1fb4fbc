package dev.midstream.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.midstream.model.JobSpec;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.sink.FailoverSafeJdbcSink;
import dev.midstream.sink.PostgresCopyWriter;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which writer a table's batches get: by the option on PostgreSQL (COPY by default), always statements on MariaDB. */
class TableWriteMethodTest {
    private static final Map<String, String> ENV = Map.of("MIDSTREAM_PII_SALT", "salt-for-the-write-method-test",
            "MIDSTREAM_JDBC_PASSWORD", "pw");

    @ParameterizedTest
    @CsvSource({
            "jdbc:postgresql://db:5432/shop, , true",
            "jdbc:postgresql://db:5432/shop, copy, true",
            "jdbc:postgresql://db:5432/shop, statement, false",
            "jdbc:mariadb://db:3306/shop, copy, false"})
    void theTableSinkWritesAsTheOptionsSay(String url, String method, boolean byCopy) throws Exception {
        JobSpec job = JobFiles.pipelines(List.of(Path.of("../pipelines/orders.yaml")), ENV::get);
        Map<String, String> settings = new HashMap<>(Map.of("midstream.kafka.bootstrap-servers", "kafka:9092",
                "midstream.jdbc.url", url, "midstream.jdbc.username", "midstream"));
        if (method != null) {
            settings.put("midstream.sink.write-method", method);
        }
        JobOptions options = JobOptions.load(ConfigSource.of(settings, "test"), ENV::get);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(10_000);
        JobGraphBuilder.of(options).build(env, job, KafkaJdbcConnectors.of(options));
        String name = OperatorUids.of(job.pipelines().get(0)).tableSink().name();
        List<FailoverSafeJdbcSink<?>> sinks = env.getTransformations().stream()
                .filter(t -> t instanceof SinkTransformation<?, ?> && t.getName().equals(name))
                .<FailoverSafeJdbcSink<?>>map(t -> (FailoverSafeJdbcSink<?>) ((SinkTransformation<?, ?>) t).getSink())
                .toList();
        assertEquals(1, sinks.size(), "orders.yaml has one table");
        assertEquals(byCopy, sinks.get(0).ownWriter());
        if (byCopy) {
            assertInstanceOf(PostgresCopyWriter.class, sinks.get(0).createWriter(null));
        }
    }
}
