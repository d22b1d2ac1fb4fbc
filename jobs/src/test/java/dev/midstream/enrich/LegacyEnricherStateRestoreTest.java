package dev.midstream.enrich;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.model.EnrichSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The transform layer's enricher state as the 0.1 releases wrote it (records without operation and position,
 * {@code savepoints/enricher-flow-record-v3}) restores into this build: the stored dimension row enriches a new
 * fact, and the fact that was waiting is released, with its provenance and payload, by its dimension's arrival.
 */
class LegacyEnricherStateRestoreTest {
    private static final EnrichSpec SPEC = new EnrichSpec("customer", List.of("customer_id"), List.of("customer_id"),
            Map.of("customer_tier", "tier", "customer_city", "address.city"), "updated_at",
            Duration.ofSeconds(30), EnrichSpec.OnMissing.EMIT, "customer_missing");

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void restoresAndMigratesTheRecordsInState(String backend) throws Exception {
        StateBackend state = backend.equals("heap") ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        try (KeyedTwoInputStreamOperatorTestHarness<String, FlowRecord, FlowRecord, FlowRecord> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(
                        new DimensionEnricher(SPEC, new DeadLetterFactory("sales", 256))),
                        DimensionEnricher.key(SPEC.factKey()), DimensionEnricher.key(SPEC.dimensionKey()), Types.STRING)) {
            h.setStateBackend(state);
            h.initializeState(OperatorSnapshotUtil.readStateHandle(Path.of("src/test/resources/savepoints/"
                    + "enricher-flow-record-v3/legacy-enricher-" + backend + ".snapshot").toString()));
            h.open();
            h.processElement1(new FlowRecord(new Record().set("order_id", "o3").set("customer_id", "c1"),
                    "dwd.orders", 0, 9, null), 2_000);
            h.processElement2(new FlowRecord(new Record().set("customer_id", "c2").set("tier", "silver")
                    .set("address.city", "Oslo").set("updated_at", Instant.parse("2024-01-02T00:00:00Z")),
                    "dwd.customers", 0, 2, null), 3_000);
            List<FlowRecord> out = h.extractOutputValues();
            assertEquals(List.of("o3:gold/Rome", "o2:silver/Oslo"), out.stream()
                    .map(r -> r.data.get("order_id") + ":" + r.data.get("customer_tier") + "/"
                            + r.data.get("customer_city")).toList());
            FlowRecord released = out.get(1);
            assertEquals("dwd.orders-0@7", released.sourceTopic + "-" + released.sourcePartition + "@"
                    + released.sourceOffset, "the waiting fact keeps where it came from");
            assertArrayEquals("{\"order_id\":\"o2\"}".getBytes(StandardCharsets.UTF_8), released.payload);
            assertFalse(released.deleted, "records of the old form are upserts");
        }
    }
}
