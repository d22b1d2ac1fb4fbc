package dev.midstream.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.udf.Record;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

class FlowRecordWireSerializerTest {
    private static final KnownTexts ORDERS = new KnownTexts(List.of("order_id", "amount", "at", "ods.orders"));

    private static FlowRecord order(String topic) {
        Record data = new Record()
                .set("order_id", "o-1")
                .set("amount", new BigDecimal("12.50"))
                .set("at", Instant.parse("2024-02-29T23:59:59.123456789Z"))
                .set("added_by_a_function", 7L)
                .set("address", new Record().set("city", "Zürich"))
                .set("tags", List.of("a", 1L));
        return new FlowRecord(data, topic, 1, 42L, "{\"order_id\":\"o-1\"}".getBytes(StandardCharsets.UTF_8))
                .change(true, 5L, 6L);
    }

    private static byte[] bytes(TypeSerializer<FlowRecord> serializer, FlowRecord record) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(record, out);
        return out.getCopyOfBuffer();
    }

    private static FlowRecord read(TypeSerializer<FlowRecord> serializer, byte[] bytes) throws IOException {
        return serializer.deserialize(new DataInputDeserializer(bytes));
    }

    @Test
    void readsBackWhatItWroteKnownTextsOrNot() throws Exception {
        FlowRecordWireSerializer serializer = new FlowRecordWireSerializer(ORDERS);
        for (String topic : new String[] {"ods.orders", "another.topic", null}) {
            FlowRecord original = order(topic);
            FlowRecord copy = read(serializer, bytes(serializer, original));
            assertEquals(original.data, copy.data);
            assertEquals(List.copyOf(original.data.fieldNames()), List.copyOf(copy.data.fieldNames()), "order kept");
            assertEquals(topic, copy.sourceTopic);
            assertEquals(1, copy.sourcePartition);
            assertEquals(42L, copy.sourceOffset);
            assertArrayEquals(original.payload, copy.payload);
            assertTrue(copy.deleted);
            assertEquals(5L, copy.positionMajor);
            assertEquals(6L, copy.positionMinor);
        }
    }

    @Test
    void knownNamesComeBackAsTheInternedInstanceOperatorsLookUpByIdentity() throws Exception {
        FlowRecordWireSerializer serializer = new FlowRecordWireSerializer(ORDERS);
        FlowRecord copy = read(serializer, bytes(serializer, order("ods.orders")));
        assertSame("order_id", copy.data.nameAt(0));
        assertSame("amount", copy.data.nameAt(1));
        assertSame("ods.orders", copy.sourceTopic);
    }

    @Test
    void sendsEachKnownTextAsOneByteInsteadOfItsChars() throws Exception {
        FlowRecord record = order("ods.orders");
        int withoutKnownTexts = bytes(new FlowRecordWireSerializer(new KnownTexts(List.of())), record).length;
        int withKnownTexts = bytes(new FlowRecordWireSerializer(ORDERS), record).length;
        // each of order_id, amount, at and ods.orders: code 0, its length byte and its chars become one code byte
        assertEquals(withoutKnownTexts - 4 - "order_id".length() - "amount".length() - "at".length()
                - "ods.orders".length(), withKnownTexts);
        assertTrue(withKnownTexts < bytes(FlowRecordSerializer.INSTANCE, record).length);
    }

    @Test
    void aRecordWrittenUnderOtherKnownTextsFailsNamingTheWayOut() throws Exception {
        byte[] written = bytes(new FlowRecordWireSerializer(new KnownTexts(List.of("amount", "order_id"))),
                order("ods.orders"));
        IOException e = assertThrows(IOException.class, () -> read(new FlowRecordWireSerializer(ORDERS), written));
        assertTrue(e.getMessage().contains("unaligned checkpoint"), e.getMessage());
        assertTrue(e.getMessage().contains("Restore from a savepoint"), e.getMessage());
    }

    @Test
    void aCopyShippedInTheJobGraphStillFindsItsNamesByIdentity() throws Exception {
        FlowRecordWireSerializer serializer = new FlowRecordWireSerializer(ORDERS);
        FlowRecordWireSerializer shipped = InstantiationUtil.clone(serializer);
        FlowRecord record = order("ods.orders");
        assertArrayEquals(bytes(serializer, record), bytes(shipped, record),
                "the shipped copy's texts must be the interned instances, or every name is sent as chars");
        assertEquals(serializer, shipped);
    }

    @Test
    void itsSnapshotRestoresASerializerThatReadsWhatItWrote() throws Exception {
        FlowRecordWireSerializer serializer = new FlowRecordWireSerializer(ORDERS);
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<FlowRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        FlowRecord record = order("ods.orders");
        assertEquals(record.data, read(restored.restoreSerializer(), bytes(serializer, record)).data);
        assertTrue(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs());
        assertTrue(new FlowRecordWireSerializer(new KnownTexts(List.of("amount"))).snapshotConfiguration()
                .resolveSchemaCompatibility(restored).isCompatibleAfterMigration());
    }

    @Test
    void onlyTheAcrossTasksTypeUsesIt() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        assertInstanceOf(FlowRecordWireSerializer.class, FlowRecordTypeInfo.acrossTasks(ORDERS).createSerializer(config));
        assertSame(FlowRecordSerializer.INSTANCE, FlowRecordTypeInfo.INSTANCE.createSerializer(config));
    }
}
