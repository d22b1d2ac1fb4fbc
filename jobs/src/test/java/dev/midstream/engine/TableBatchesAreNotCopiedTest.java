package dev.midstream.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.model.JobSpec;
import dev.midstream.options.ConfigSource;
import dev.midstream.options.JobOptions;
import dev.midstream.reader.JobFiles;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job runs with object reuse, and the JDBC connector then copies every element it receives; the batches the
 * batcher hands every table writer are typed so that this copy is the batch itself, while they still serialize like
 * any list should the edge ever cross the network.
 */
class TableBatchesAreNotCopiedTest {
    private static final Map<String, String> ENV = Map.of("MIDSTREAM_PII_SALT", "salt-for-the-batches-test-0001",
            "MIDSTREAM_JDBC_PASSWORD", "pw");

    @Test
    void everyTableWriterGetsTheBatcherListItself() throws Exception {
        JobSpec job = JobFiles.pipelines(List.of(Path.of("../pipelines/orders.yaml")), ENV::get);
        JobOptions options = JobOptions.load(ConfigSource.of(Map.of("midstream.kafka.bootstrap-servers",
                "kafka:9092", "midstream.jdbc.url", "jdbc:postgresql://db:5432/shop", "midstream.jdbc.username",
                "midstream"), "test"), ENV::get);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(10_000);
        JobGraphBuilder.of(options).build(env, job, KafkaJdbcConnectors.of(options));
        assertTrue(env.getConfig().isObjectReuseEnabled(), "without object reuse nothing copies anyway");

        List<StreamNode> batchers = env.getStreamGraph().getStreamNodes().stream()
                .filter(node -> node.getOperatorName().equals(OperatorUids.of(job.pipelines().get(0)).batch().name()))
                .toList();
        assertEquals(1, batchers.size(), "orders.yaml has one table");
        @SuppressWarnings("unchecked")
        TypeSerializer<List<FlowRecord>> serializer =
                (TypeSerializer<List<FlowRecord>>) batchers.get(0).getTypeSerializerOut();

        List<FlowRecord> batch = new ArrayList<>(List.of(
                new FlowRecord(new Record().set("order_id", "o-1").set("at", Instant.parse("2026-12-01T00:00:00Z")),
                        "orders", 1, 7, null),
                new FlowRecord(new Record().set("order_id", "o-2").set("amount", new java.math.BigDecimal("2.50")),
                        "orders", 0, 3, null)));
        assertSame(batch, serializer.copy(batch));
        assertSame(batch, serializer.duplicate().copy(batch, new ArrayList<>()));

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(batch, out);
        List<FlowRecord> read = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(batch.size(), read.size());
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(batch.get(i).data, read.get(i).data);
            assertEquals(batch.get(i).sourceOffset, read.get(i).sourceOffset);
        }
        assertFalse(read == batch);
        assertEquals(serializer, dev.midstream.record.FlowRecordBatchTypeInfo.INSTANCE.createSerializer(
                new SerializerConfigImpl()));
    }
}
