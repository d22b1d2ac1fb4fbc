package dev.midstream.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.udf.Record;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class FlowRecordSerializerTest {
    private final FlowRecordSerializer serializer =
            (FlowRecordSerializer) FlowRecordTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl());

    private static FlowRecord sample() {
        Record nested = new Record().set("city", "Zürich").set("zip", 8001L);
        Record data = new Record()
                .set("id", "x".repeat(70_000))
                .set("n", -5L)
                .set("amount", new BigDecimal("-12345678901234567890.125"))
                .set("flag", false)
                .set("at", Instant.parse("2024-02-29T23:59:59.123456789Z"))
                .set("address", nested)
                .set("tags", List.of("a", 1L, nested.copy(), List.of("deep")));
        return new FlowRecord(data, "ods.x", 3, 9_000_000_000L, "payload".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsEveryValueType() throws Exception {
        FlowRecord original = sample();
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(original, out);
        FlowRecord copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(original.data, copy.data);
        assertEquals(List.copyOf(original.data.fieldNames()), List.copyOf(copy.data.fieldNames()), "field order kept");
        assertEquals("ods.x", copy.sourceTopic);
        assertEquals(3, copy.sourcePartition);
        assertEquals(9_000_000_000L, copy.sourceOffset);
        assertArrayEquals(original.payload, copy.payload);
    }

    @Test
    void decimalsAreWrittenInTheBytesOfTheirBigIntegerAndReadBackEqual() throws Exception {
        Random random = new Random(33);
        List<BigDecimal> decimals = new ArrayList<>(List.of(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE.negate(),
                new BigDecimal("0.000"), new BigDecimal("127"), new BigDecimal("128"), new BigDecimal("-128"),
                new BigDecimal("-129"), new BigDecimal("999999999999999999"), new BigDecimal("-999999999999999999"),
                new BigDecimal("9223372036854775807"), new BigDecimal("-9223372036854775808"),
                new BigDecimal("12345678901234567890.125"), new BigDecimal("1E+5"), new BigDecimal("-1.5E-30")));
        for (int i = 0; i < 20_000; i++) {
            BigInteger unscaled = new BigInteger(1 + random.nextInt(80), random);
            decimals.add(new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(40) - 10));
        }
        for (BigDecimal d : decimals) {
            DataOutputSerializer expected = new DataOutputSerializer(32);
            expected.writeInt(1);
            StringValueWriter.write("d", expected);
            expected.writeByte(3); // DECIMAL
            expected.writeInt(d.scale());
            byte[] bytes = d.unscaledValue().toByteArray();
            expected.writeInt(bytes.length);
            expected.write(bytes);
            DataOutputSerializer out = new DataOutputSerializer(32);
            Record record = new Record().set("d", d);
            FlowRecordSerializer.writeRecord(record, FieldNameCodec.TEXT, out);
            assertArrayEquals(expected.getCopyOfBuffer(), out.getCopyOfBuffer(), d.toString());
            Object read = FlowRecordSerializer.readRecord(FieldNameCodec.TEXT, new DataInputDeserializer(out.getCopyOfBuffer())).get("d");
            assertEquals(d, read, "value and scale");
        }
    }

    @Test
    void aRecordWithoutPayloadRoundTrips() throws Exception {
        FlowRecord original = new FlowRecord(new Record(), "t", 0, 0, null);
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(original, out);
        FlowRecord copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(null, copy.payload);
        assertEquals(0, copy.data.size());
    }

    @Test
    void copiesAreDeep() {
        FlowRecord original = sample();
        FlowRecord copy = serializer.copy(original);
        copy.data.getRecord("address").set("city", "Bern");
        assertEquals("Zürich", original.data.getString("address.city"));
        assertNotSame(original.payload, copy.payload);
    }

    @Test
    void itsSnapshotRestoresAsCompatible() throws Exception {
        TypeSerializerSnapshot<FlowRecord> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<FlowRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<FlowRecord> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(compatibility.isCompatibleAsIs());
    }
}
