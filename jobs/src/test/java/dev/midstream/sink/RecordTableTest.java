package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/** What the table writers read off a record: each column's field, and its text form. */
class RecordTableTest {
    private static final FlowRecord RECORD = new FlowRecord(new Record().set("id", "o-1")
            .set("amount", new BigDecimal("1E+2")).set("address", new Record().set("zip", "200000")),
            "ods.orders", 3, 41L, null).change(true, 2, 7);

    @Test
    void eachColumnReadsItsFieldOrWhereTheRecordCameFrom() throws Exception {
        assertEquals("o-1", read("id"));
        assertEquals("200000", read("address.zip"), "a nested field by its path");
        assertNull(read("missing"));
        assertEquals("ods.orders", read("$source_topic"));
        assertEquals(3, read("$source_partition"));
        assertEquals(41L, read("$source_offset"));
        assertEquals(BigInteger.TWO.shiftLeft(63).add(BigInteger.valueOf(7)), read(SinkSpec.POSITION));
        assertEquals(true, read(SinkSpec.DELETED));
    }

    @Test
    void aColumnReaderTravelsWithTheJobGraph() throws Exception {
        for (String field : List.of("id", "$source_topic", SinkSpec.POSITION)) {
            RecordTable.FieldReader reader = InstantiationUtil.clone(RecordTable.FieldReader.of(field));
            assertEquals(RecordTable.FieldReader.of(field).read(RECORD), reader.read(RECORD), field);
        }
    }

    @Test
    void textIsPostgresInputSyntaxWithoutNul() {
        assertNull(RecordTable.text(null));
        assertEquals("100", RecordTable.text(new BigDecimal("1E+2")), "decimals in plain notation");
        assertEquals("a\uFFFDb\uFFFD", RecordTable.text("a\u0000b\u0000"), "PostgreSQL text cannot hold NUL");
        assertEquals("plain 中文", RecordTable.text("plain 中文"));
        assertEquals("{\"zip\":\"200000\"}", RecordTable.text(new Record().set("zip", "200000")));
        assertEquals("o-1", RecordTable.text(read("id")));
    }

    private static Object read(String field) {
        return RecordTable.FieldReader.of(field).read(RECORD);
    }
}
