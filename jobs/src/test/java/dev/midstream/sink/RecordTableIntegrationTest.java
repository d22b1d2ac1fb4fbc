package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.Database;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The SQL a pipeline's sink runs, against a real PostgreSQL: created, upserted by version, values typed. */
class RecordTableIntegrationTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static PipelineSpec spec(String upsert) {
        return PipelineReader.parse("t.yaml", """
                pipeline: t
                source: {topics: [t]}
                schema:
                  id: {type: string, required: true}
                  at: {type: timestamp, required: true}
                  amount: {type: 'decimal(8,2)'}
                  active: {type: boolean}
                  place: {type: object, fields: {city: {type: string}}}
                key: [id]
                dedup: {version: at, ttl: 1d}
                sink:
                  table: public.select
                  primary_key: [id]
                  upsert: %s
                  columns:
                    id: id
                    order: at
                    amount: amount
                    active: active
                    place: place
                    city: place.city
                    written: $written_at
                """.formatted(upsert), Map.<String, String>of()::get, FunctionCatalog.load());
    }

    private static FlowRecord row(String id, String at, String amount, String city) {
        Record data = new Record().set("id", id).set("at", Instant.parse(at))
                .set("amount", amount == null ? null : new BigDecimal(amount)).set("active", true)
                .set("place", city == null ? null : new Record().set("city", city));
        return new FlowRecord(data, "t", 0, 0, null);
    }

    /** Row by row, in order, each row a batch of its own: every write sees the one before. */
    private static void write(WritePath path, Connection c, RecordTable table, FlowRecord... rows) throws Exception {
        for (FlowRecord row : rows) {
            path.write(c, table, List.of(row));
        }
    }

    private static List<String> read(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT id, \"order\", amount, active, place::text, city FROM public.\"select\" ORDER BY id")) {
            List<String> rows = new java.util.ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1) + "|" + r.getObject(2, java.time.OffsetDateTime.class).toInstant() + "|"
                        + r.getBigDecimal(3) + "|" + r.getBoolean(4) + "|" + r.getString(5) + "|" + r.getString(6));
            }
            return rows;
        }
    }

    @ParameterizedTest
    @EnumSource(value = WritePath.class, names = {"POSTGRESQL_STATEMENT", "POSTGRESQL_COPY"})
    void newerVersionsReplaceRowsAndOlderOnesNever(WritePath path) throws Exception {
        TestDatabase db = POSTGRES.newDatabase("record_table_newer");
        RecordTable table = RecordTable.of(spec("newer").sink(), Database.POSTGRESQL);
        try (Connection c = db.connect()) {
            table.create(c);
            table.create(c);
            write(path, c, table, row("a", "2024-01-01T00:00:00Z", "1.50", "Rome"), row("b", "2024-01-01T00:00:00Z", null, null));
            write(path, c, table, row("a", "2024-01-03T00:00:00Z", "3", "Oslo"), row("a", "2024-01-02T00:00:00Z", "2", "Bern"));
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*) FROM public.\"select\" WHERE written > now() - interval '1 minute'")) {
                r.next();
                assertEquals(2, r.getInt(1), "$written_at is the database's time of the write");
            }
            assertEquals(List.of(
                    "a|2024-01-03T00:00:00Z|3.00|true|{\"city\": \"Oslo\"}|Oslo",
                    "b|2024-01-01T00:00:00Z|null|true|null|null"), read(c));
        }
    }

    @ParameterizedTest
    @EnumSource(value = WritePath.class, names = {"POSTGRESQL_STATEMENT", "POSTGRESQL_COPY"})
    void alwaysMeansTheLastWriteWins(WritePath path) throws Exception {
        TestDatabase db = POSTGRES.newDatabase("record_table_always");
        RecordTable table = RecordTable.of(spec("always").sink(), Database.POSTGRESQL);
        try (Connection c = db.connect()) {
            table.create(c);
            write(path, c, table, row("a", "2024-01-03T00:00:00Z", "3", "Oslo"), row("a", "2024-01-02T00:00:00Z", "2", "Bern"));
            assertEquals(List.of("a|2024-01-02T00:00:00Z|2.00|true|{\"city\": \"Bern\"}|Bern"), read(c));
        }
    }

    @Test
    void namesAreQuotedAndValuesNeverSplicedIn() {
        RecordTable table = RecordTable.of(spec("newer").sink(), Database.POSTGRESQL);
        String sql = table.batchUpsertSql();
        assertTrue(sql.startsWith("INSERT INTO \"public\".\"select\" AS current (\"id\", \"order\""), sql);
        assertTrue(sql.endsWith("WHERE current.\"order\" < EXCLUDED.\"order\""), sql);
        assertEquals(6, sql.chars().filter(ch -> ch == '?').count(), "one bound parameter per column but written");
        assertTrue(sql.contains("now()"), sql);
        assertTrue(table.createSql().contains("\"amount\" numeric(8,2)"), table.createSql());
        assertTrue(table.createSql().contains("\"place\" jsonb"), table.createSql());
    }

    @ParameterizedTest
    @EnumSource(value = WritePath.class, names = {"POSTGRESQL_STATEMENT", "POSTGRESQL_COPY"})
    void aBatchIsOneStatementWithTheSameSemantics(WritePath path) throws Exception {
        TestDatabase db = POSTGRES.newDatabase("record_table_batch");
        RecordTable newer = RecordTable.of(spec("newer").sink(), Database.POSTGRESQL);
        try (Connection c = db.connect()) {
            newer.create(c);
            path.write(c, newer, List.of(row("a", "2024-01-02T00:00:00Z", "1.50", "Rome"), row("b", "2024-01-01T00:00:00Z", null, null),
                    row("c", "2024-01-01T00:00:00Z", "7", "It's \"quoted\", {braced}")));
            // a replay of an older version changes nothing; a newer one replaces the row
            path.write(c, newer, List.of(row("a", "2024-01-01T00:00:00Z", "9", "Bern"), row("b", "2024-01-05T00:00:00Z", "2", "Oslo")));
            assertEquals(List.of(
                    "a|2024-01-02T00:00:00Z|1.50|true|{\"city\": \"Rome\"}|Rome",
                    "b|2024-01-05T00:00:00Z|2.00|true|{\"city\": \"Oslo\"}|Oslo",
                    "c|2024-01-01T00:00:00Z|7.00|true|{\"city\": \"It's \\\"quoted\\\", {braced}\"}|It's \"quoted\", {braced}"),
                    read(c));
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*) FROM public.\"select\" WHERE written > now() - interval '1 minute'")) {
                r.next();
                assertEquals(3, r.getInt(1), "$written_at is the database's time of the write");
            }
        }
        String sql = newer.batchUpsertSql();
        assertEquals(6, sql.chars().filter(ch -> ch == '?').count(), "one array parameter per column but written");
        assertTrue(sql.contains("FROM unnest(?::text[]") && sql.endsWith("WHERE current.\"order\" < EXCLUDED.\"order\""), sql);
    }

    @ParameterizedTest
    @EnumSource(value = WritePath.class, names = {"POSTGRESQL_STATEMENT", "POSTGRESQL_COPY"})
    void everyTextArrivesAsTheRecordHoldsIt(WritePath path) throws Exception {
        // What an array literal would have to escape, and the text that reads as NULL in one.
        List<String> texts = List.of("NULL", "null", "", " ", "\\", "\\\\N", "a,b", "{x}", "\"", "'", "}{", "\t\n",
                "😀 ü ß 中", "\uFFFD", "long ü ".repeat(20_000));
        TestDatabase db = POSTGRES.newDatabase("record_table_texts");
        RecordTable table = RecordTable.of(spec("always").sink(), Database.POSTGRESQL);
        List<FlowRecord> batch = new java.util.ArrayList<>();
        java.util.Map<String, String> expected = new java.util.HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String id = texts.get(i) + "#" + i;
            batch.add(row(id, "2024-01-01T00:00:00Z", null, texts.get(i)));
            expected.put(id, texts.get(i));
        }
        batch.add(row("no city", "2024-01-01T00:00:00Z", null, null));
        expected.put("no city", null);
        try (Connection c = db.connect()) {
            table.create(c);
            path.write(c, table, batch);
            java.util.Map<String, String> stored = new java.util.HashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT id, city FROM public.\"select\"")) {
                while (r.next()) {
                    stored.put(r.getString(1), r.getString(2));
                }
            }
            assertEquals(expected, stored);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WritePath.class, names = {"POSTGRESQL_STATEMENT", "POSTGRESQL_COPY"})
    void sameKeyTwiceInOneStatementIsWhatPostgresRefuses(WritePath path) throws Exception {
        // Why RecordBatcher keeps one row per key per batch.
        TestDatabase db = POSTGRES.newDatabase("record_table_twice");
        RecordTable table = RecordTable.of(spec("newer").sink(), Database.POSTGRESQL);
        try (Connection c = db.connect()) {
            table.create(c);
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> path.write(c, table,
                    List.of(row("a", "2024-01-01T00:00:00Z", "1", "Rome"), row("a", "2024-01-02T00:00:00Z", "2", "Oslo"))));
            assertTrue(e.getMessage().contains("cannot affect row a second time"), e.getMessage());
        }
    }
}
