package dev.midstream.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.midstream.model.FieldSpec;
import dev.midstream.model.FieldType;
import dev.midstream.model.SourceFormat;
import dev.midstream.record.FlowRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

/** Every envelope kind, op and value encoding of the three change formats, including malformed ones. */
class EnvelopeDecoderTest {
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();

    private static final List<FieldSpec> SCHEMA = List.of(
            field("id", FieldType.of(FieldType.Kind.LONG)),
            field("name", FieldType.of(FieldType.Kind.STRING)),
            field("price", FieldType.decimal(10, 2)),
            field("created", FieldType.of(FieldType.Kind.TIMESTAMP)),
            field("birthday", FieldType.of(FieldType.Kind.STRING)),
            field("active", FieldType.of(FieldType.Kind.BOOLEAN)),
            field("tags", FieldType.array(FieldType.of(FieldType.Kind.STRING))));

    private static FieldSpec field(String name, FieldType type) {
        return new FieldSpec(name, type, false, null, null, null);
    }

    private static Envelope decode(SourceFormat format, String json) throws Exception {
        return EnvelopeDecoder.of(format, SCHEMA, true).decode(JSON.readTree(json));
    }

    private static Change only(Envelope envelope) {
        Envelope.Changes changes = assertInstanceOf(Envelope.Changes.class, envelope, envelope::toString);
        assertEquals(1, changes.changes().size());
        return changes.changes().get(0);
    }

    private static Envelope.Refused refused(Envelope envelope) {
        return assertInstanceOf(Envelope.Refused.class, envelope, envelope::toString);
    }

    private static String skipped(Envelope envelope) {
        return assertInstanceOf(Envelope.Skipped.class, envelope, envelope::toString).kind();
    }

    private static final String MARIADB_SOURCE = "{\"connector\":\"mariadb\",\"file\":\"mariadb-bin.000003\",\"pos\":1081,"
            + "\"row\":%d,\"snapshot\":\"%s\"}";

    // --- Debezium ------------------------------------------------------------------------------------------

    @Test
    void debeziumWithTheSchemaWrapperDecodesByLogicalType() throws Exception {
        String value = """
                {"schema":{"type":"struct","fields":[
                   {"field":"before","type":"struct","optional":true,"fields":[]},
                   {"field":"after","type":"struct","optional":true,"fields":[
                     {"field":"id","type":"int64"},
                     {"field":"price","type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2","connect.decimal.precision":"10"}},
                     {"field":"created","type":"int64","name":"io.debezium.time.MicroTimestamp"},
                     {"field":"birthday","type":"int32","name":"io.debezium.time.Date"},
                     {"field":"active","type":"int16"},
                     {"field":"tags","type":"string","name":"io.debezium.data.Json"}]},
                   {"field":"source","type":"struct","fields":[]},{"field":"op","type":"string"}]},
                 "payload":{"before":null,"after":{"id":1004,"price":"ALxhTg==","created":1710498600123456,
                   "birthday":19797,"active":1,"tags":"[\\"a\\",\\"b\\"]","unknown":"x"},
                   "source":%s,"op":"c","ts_ms":1710498600123}}
                """.formatted(MARIADB_SOURCE.formatted(0, "false"));
        Change change = only(decode(SourceFormat.DEBEZIUM_JSON, value));
        assertEquals(false, change.delete());
        assertEquals("{\"id\":1004,\"price\":123456.78,\"created\":\"2024-03-15T10:30:00.123456\","
                + "\"birthday\":\"2024-03-15\",\"active\":true,\"tags\":[\"a\",\"b\"]}", change.row().toString(),
                "base64 decimal with the schema's scale, micro timestamp as local ISO text, days as a date, TINYINT as"
                        + " boolean, JSON text parsed; undeclared fields dropped");
        assertEquals(3, change.positionMajor(), "the binlog file's number");
        assertEquals((1081L << 21) | 1, change.positionMinor(), "offset, then the row's rank (row 0 streamed: 1)");
    }

    @Test
    void aSnapshotReadLosesTheTieAgainstAStreamedChangeAtTheSamePosition() throws Exception {
        String template = "{\"op\":\"%s\",\"after\":{\"id\":1},\"source\":" + MARIADB_SOURCE + "}";
        Change snapshot = only(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("r", 0, "true")));
        Change streamed = only(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("u", 0, "false")));
        Change secondRow = only(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("u", 1, "false")));
        assertEquals(snapshot.positionMajor(), streamed.positionMajor());
        assertTrue(snapshot.positionMinor() < streamed.positionMinor());
        assertTrue(streamed.positionMinor() < secondRow.positionMinor(), "rows of one event in order");
    }

    @Test
    void postgresChangesAreOrderedByTheirLsn() throws Exception {
        String template = "{\"op\":\"%s\",\"after\":{\"id\":1},\"source\":{\"connector\":\"postgresql\",%s\"snapshot\":\"%s\"}}";
        Change streamed = only(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("u", "\"lsn\":24023128,", "false")));
        Change snapshot = only(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("r", "\"lsn\":24023128,", "true")));
        assertEquals(List.of(24023128L, 1L), List.of(streamed.positionMajor(), streamed.positionMinor()));
        assertEquals(List.of(24023128L, 0L), List.of(snapshot.positionMajor(), snapshot.positionMinor()));
        Change incremental = only(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("r", "", "incremental")));
        assertEquals(FlowRecord.AFTER_LATEST, incremental.positionMajor(), "an incremental-snapshot row has no LSN");
        Envelope.Refused noLsn = refused(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("u", "", "false")));
        assertEquals("no_position", noLsn.rule());
    }

    @Test
    void withoutThePositionItIsNotNeededForOrderingAChangeStillReads() throws Exception {
        JsonNode value = JSON.readTree("{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{\"connector\":\"sqlserver\"}}");
        assertEquals(0, only(EnvelopeDecoder.of(SourceFormat.DEBEZIUM_JSON, SCHEMA, false).decode(value)).positionMajor());
        assertEquals("no_position", refused(EnvelopeDecoder.of(SourceFormat.DEBEZIUM_JSON, SCHEMA, true).decode(value))
                .rule());
    }

    @Test
    void debeziumWithoutTheWrapperTakesPlainValuesAndRefusesTheAmbiguousOnes() throws Exception {
        String template = "{\"op\":\"u\",\"after\":{\"id\":1,%s},\"source\":" + MARIADB_SOURCE.formatted(0, "false") + "}";
        assertEquals("{\"id\":1,\"price\":12.34,\"created\":1710498600123}", only(decode(SourceFormat.DEBEZIUM_JSON,
                template.formatted("\"price\":\"12.34\",\"created\":1710498600123"))).row().toString(),
                "decimal.handling.mode=string and millisecond timestamps");
        assertEquals("{\"id\":1,\"price\":12.34}", only(decode(SourceFormat.DEBEZIUM_JSON,
                template.formatted("\"price\":{\"scale\":2,\"value\":\"BNI=\"}"))).row().toString(),
                "a variable-scale decimal says its scale itself");
        Envelope.Refused base64 = refused(decode(SourceFormat.DEBEZIUM_JSON, template.formatted("\"price\":\"BNI=\"")));
        assertEquals(List.of("price_encoding", "price"), List.of(base64.rule(), base64.field()));
        assertTrue(base64.reason().contains("value.converter.schemas.enable=true"), base64.reason());
        Envelope.Refused micros = refused(decode(SourceFormat.DEBEZIUM_JSON,
                template.formatted("\"created\":1710498600123456")));
        assertEquals("created_encoding", micros.rule());
        assertTrue(micros.reason().contains("time.precision.mode=connect"), micros.reason());
    }

    @Test
    void aDeleteReadsTheBeforeRow() throws Exception {
        Change delete = only(decode(SourceFormat.DEBEZIUM_JSON, "{\"op\":\"d\",\"before\":{\"id\":7},\"after\":null,"
                + "\"source\":" + MARIADB_SOURCE.formatted(2, "false") + "}"));
        assertEquals(true, delete.delete());
        assertEquals("{\"id\":7}", delete.row().toString());
        Envelope.Refused noBefore = refused(decode(SourceFormat.DEBEZIUM_JSON, "{\"op\":\"d\",\"before\":null,"
                + "\"source\":" + MARIADB_SOURCE.formatted(2, "false") + "}"));
        assertEquals("missing_row", noBefore.rule());
        assertTrue(noBefore.reason().contains("REPLICA IDENTITY"), noBefore.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"op\":\"t\",\"source\":{\"connector\":\"mysql\"}}|truncate",
            "{\"op\":\"m\",\"message\":{\"prefix\":\"p\",\"content\":\"eA==\"}}|message",
            "{\"source\":{},\"databaseName\":\"shop\",\"ddl\":\"ALTER TABLE t ADD c INT\",\"tableChanges\":[]}|schema_change",
            "{\"status\":\"BEGIN\",\"id\":\"0-1-3\",\"event_count\":null}|transaction",
            "{\"ts_ms\":1710498600000}|heartbeat",
            "{\"schema\":{\"type\":\"struct\"},\"payload\":null}|tombstone"})
    void recordsWithoutARowChangeAreSkippedByKind(String value, String kind) throws Exception {
        assertEquals(kind, skipped(decode(SourceFormat.DEBEZIUM_JSON, value)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"op\":\"x\",\"after\":{\"id\":1}}|unknown_op",
            "{\"id\":1,\"name\":\"a plain record\"}|not_an_envelope",
            "{\"op\":\"c\",\"after\":[1,2]}|missing_row",
            "{\"schema\":{},\"payload\":[1]}|not_an_envelope"})
    void malformedEnvelopesAreRefusedWithTheirReason(String value, String rule) throws Exception {
        Envelope.Refused refused = refused(decode(SourceFormat.DEBEZIUM_JSON, value));
        assertEquals(rule, refused.rule());
        assertEquals(false, refused.validation(), "stage change");
    }

    @Test
    void aValueOfTheWrongShapeForItsLogicalTypeNamesTheField() throws Exception {
        Envelope.Refused refused = refused(decode(SourceFormat.DEBEZIUM_JSON, """
                {"schema":{"fields":[{"field":"after","fields":[{"field":"birthday","type":"int32","name":"io.debezium.time.Date"}]}]},
                 "payload":{"op":"c","after":{"id":1,"birthday":"yesterday"},"source":%s}}
                """.formatted(MARIADB_SOURCE.formatted(0, "false"))));
        assertEquals(List.of("birthday_encoding", "birthday", true), List.of(refused.rule(), refused.field(),
                refused.validation()));
        assertTrue(refused.reason().startsWith("birthday: expected days since 1970-01-01"), refused.reason());
    }

    // --- Canal ---------------------------------------------------------------------------------------------

    @Test
    void canalSplitsItsRowsAndReadsTheirTextByTheDeclaredTypes() throws Exception {
        Envelope envelope = decode(SourceFormat.CANAL_JSON, """
                {"data":[{"id":"111","name":"scooter","price":"5.15","created":"2020-05-13 12:38:35","active":"1"},
                         {"id":"112","name":null,"price":"","created":null,"active":"0"}],
                 "database":"inventory","es":1589373560000,"id":9,"isDdl":false,"mysqlType":{},"old":null,
                 "pkNames":["id"],"sql":"","sqlType":{},"table":"products","ts":1589373560798,"type":"INSERT"}
                """);
        List<Change> changes = assertInstanceOf(Envelope.Changes.class, envelope).changes();
        assertEquals(List.of("{\"id\":111,\"name\":\"scooter\",\"price\":5.15,\"created\":\"2020-05-13 12:38:35\","
                        + "\"active\":true}", "{\"id\":112,\"name\":null,\"price\":\"\",\"created\":null,\"active\":false}"),
                changes.stream().map(c -> c.row().toString()).toList(), "blank and null stay absent for the schema");
        assertEquals(List.of(false, false), changes.stream().map(Change::delete).toList());
        assertEquals(true, only(decode(SourceFormat.CANAL_JSON, "{\"type\":\"DELETE\",\"isDdl\":false,"
                + "\"data\":[{\"id\":\"111\"}]}")).delete());
        assertEquals(false, only(decode(SourceFormat.CANAL_JSON, "{\"type\":\"UPDATE\",\"isDdl\":false,"
                + "\"data\":[{\"id\":\"111\",\"price\":\"5.18\"}],\"old\":[{\"price\":\"5.15\"}]}")).delete());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"isDdl\":true,\"type\":\"ALTER\",\"sql\":\"ALTER TABLE products ADD COLUMN color VARCHAR(20)\"}|schema_change",
            "{\"isDdl\":false,\"type\":\"CREATE\",\"data\":null}|schema_change",
            "{\"isDdl\":false,\"type\":\"TRUNCATE\",\"data\":null}|truncate",
            "{\"isDdl\":false,\"type\":\"MHEARTBEAT\"}|heartbeat"})
    void canalSkipsWhatIsNotARowChange(String value, String kind) throws Exception {
        assertEquals(kind, skipped(decode(SourceFormat.CANAL_JSON, value)));
    }

    @Test
    void canalRefusesWhatItCannotRead() throws Exception {
        assertEquals("unknown_op", refused(decode(SourceFormat.CANAL_JSON, "{\"type\":\"MERGE\",\"data\":[]}")).rule());
        assertEquals("missing_row", refused(decode(SourceFormat.CANAL_JSON, "{\"type\":\"INSERT\",\"data\":[]}")).rule());
        assertEquals("not_an_envelope", refused(decode(SourceFormat.CANAL_JSON, "{\"data\":[{\"id\":\"1\"}]}")).rule());
        Envelope.Refused number = refused(decode(SourceFormat.CANAL_JSON,
                "{\"type\":\"INSERT\",\"data\":[{\"id\":\"1\"},{\"id\":\"one\"}]}"));
        assertEquals(List.of("id_encoding", "id"), List.of(number.rule(), number.field()));
        assertEquals("id: data[1]: 'one' is not a whole number", number.reason());
    }

    // --- Maxwell -------------------------------------------------------------------------------------------

    @Test
    void maxwellIsOrderedByBinlogPositionAndTransactionOffset() throws Exception {
        String template = "{\"database\":\"test\",\"table\":\"e\",\"type\":\"%s\",\"ts\":1477053217,\"xid\":23396,%s"
                + "\"position\":\"master.000006:800911\",\"data\":{\"id\":1,\"active\":0,\"created\":\"2016-10-21 05:33:37.523000\"}}";
        Change first = only(decode(SourceFormat.MAXWELL_JSON, template.formatted("insert", "\"xoffset\":0,")));
        Change second = only(decode(SourceFormat.MAXWELL_JSON, template.formatted("update", "\"xoffset\":1,")));
        Change commit = only(decode(SourceFormat.MAXWELL_JSON, template.formatted("delete", "\"commit\":true,")));
        assertEquals(6, first.positionMajor());
        assertTrue(first.positionMinor() < second.positionMinor() && second.positionMinor() < commit.positionMinor(),
                "xoffset orders rows of one event; the commit row, which has none, comes last");
        assertEquals(true, commit.delete());
        assertEquals("{\"id\":1,\"created\":\"2016-10-21 05:33:37.523000\",\"active\":false}", first.row().toString());
    }

    @Test
    void maxwellBootstrapRowsTakeTheLowestPositionAndItsMarkersAreSkipped() throws Exception {
        Change row = only(decode(SourceFormat.MAXWELL_JSON,
                "{\"database\":\"d\",\"table\":\"t\",\"type\":\"bootstrap-insert\",\"ts\":1450557744,\"data\":{\"id\":5}}"));
        assertEquals(List.of(0L, 0L), List.of(row.positionMajor(), row.positionMinor()));
        assertEquals("bootstrap", skipped(decode(SourceFormat.MAXWELL_JSON, "{\"type\":\"bootstrap-start\",\"data\":{}}")));
        assertEquals("schema_change", skipped(decode(SourceFormat.MAXWELL_JSON, "{\"type\":\"table-alter\",\"sql\":\"x\"}")));
        Envelope.Refused noPosition = refused(decode(SourceFormat.MAXWELL_JSON, "{\"type\":\"insert\",\"data\":{\"id\":5}}"));
        assertEquals("no_position", noPosition.rule());
        assertTrue(noPosition.reason().contains("output_binlog_position=true"), noPosition.reason());
        assertEquals("unknown_op", refused(decode(SourceFormat.MAXWELL_JSON, "{\"type\":\"upsert\",\"data\":{}}")).rule());
        assertEquals("missing_row", refused(decode(SourceFormat.MAXWELL_JSON, "{\"type\":\"insert\"}")).rule());
    }
}
