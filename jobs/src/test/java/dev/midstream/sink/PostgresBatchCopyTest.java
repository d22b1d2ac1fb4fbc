package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.midstream.model.Database;
import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** COPY and a merge against a real PostgreSQL: the same table as the statement makes, one transaction per batch. */
class PostgresBatchCopyTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final SinkSpec SINK = RecordTableIntegrationTest.spec("newer").sink();

    @Test
    void randomBatchesLandAsTheStatementLandsThem() throws Exception {
        Random random = new Random(19);
        List<List<FlowRecord>> batches = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            List<FlowRecord> batch = new ArrayList<>();
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (int i = 0; i < 1 + random.nextInt(300); i++) {
                String id = "k" + random.nextInt(2_000);
                if (keys.add(id)) {
                    batch.add(record(random, id));
                }
            }
            batches.add(batch);
        }
        RecordTable table = RecordTable.of(SINK, Database.POSTGRESQL);
        List<String> byStatement = writeAll(WritePath.POSTGRESQL_STATEMENT, table, batches);
        List<String> byCopy = writeAll(WritePath.POSTGRESQL_COPY, table, batches);
        List<String> byBatcherRows = writeAll(WritePath.POSTGRESQL_COPY_ROWS_FROM_THE_BATCHER, table, batches);
        assertEquals(byStatement.size(), byCopy.size());
        assertEquals(byStatement, byCopy);
        assertEquals(byStatement, byBatcherRows);
    }

    private static FlowRecord record(Random random, String id) {
        Record data = new Record().set("id", id)
                .set("at", Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000_000), random.nextInt(1_000) * 1_000_000L))
                .set("amount", random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextInt(10_000_000) - 5_000_000, 2))
                .set("active", random.nextBoolean() ? null : random.nextBoolean());
        if (random.nextInt(4) > 0) {
            StringBuilder city = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                city.appendCodePoint(switch (random.nextInt(6)) {
                    case 0 -> "\t\n\\\"',{}".charAt(random.nextInt(8));
                    case 1 -> 0x80 + random.nextInt(0x700);
                    case 2 -> 0x4E00 + random.nextInt(0x5000);
                    case 3 -> 0x1F600 + random.nextInt(0x50);
                    default -> 'a' + random.nextInt(26);
                });
            }
            data.set("place", new Record().set("city", city.toString()));
        }
        return new FlowRecord(data, "t", random.nextInt(3), random.nextInt(1_000_000), null);
    }

    private static List<String> writeAll(WritePath path, RecordTable table, List<List<FlowRecord>> batches)
            throws Exception {
        try (Connection c = POSTGRES.newDatabase("copy_" + path.name()).connect()) {
            table.create(c);
            for (List<FlowRecord> batch : batches) {
                path.write(c, table, batch);
            }
            return rows(c);
        }
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, \"order\", amount, active,"
                + " place::text, city FROM public.\"select\" ORDER BY id")) {
            while (r.next()) {
                rows.add(r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" + r.getString(4) + "|"
                        + r.getString(5) + "|" + r.getString(6));
            }
        }
        return rows;
    }

    @Test
    void aBatchWithRowsIsWrittenFromTheRowsNotReadAgain() throws Exception {
        Random random = new Random(3);
        FlowRecord record = record(random, "a");
        record.data.set("place", new Record().set("city", "Rome"));
        byte[] row = new PostgresCopyRow(SINK).encode(record);
        record.data.set("place", new Record().set("city", "Pisa"));
        try (Connection c = POSTGRES.newDatabase("copy_rows").connect()) {
            RecordTable.of(SINK, Database.POSTGRESQL).create(c);
            try (PostgresBatchCopy copy = PostgresBatchCopy.open(c, SINK)) {
                copy.write(new RecordBatch(new FlowRecord[] {record}, new byte[][] {row}));
            }
            assertEquals(List.of("Rome"), rows(c).stream().map(r -> r.substring(r.lastIndexOf('|') + 1)).toList());
        }
    }

    @Test
    void aFailedBatchLeavesNothingBehindAndTheNextOneWrites() throws Exception {
        Random random = new Random(7);
        try (Connection c = POSTGRES.newDatabase("copy_failed").connect()) {
            RecordTable.of(SINK, Database.POSTGRESQL).create(c);
            try (PostgresBatchCopy copy = PostgresBatchCopy.open(c, SINK)) {
                // The same key twice: the merge refuses the whole batch after its COPY went through.
                assertThrows(SQLException.class, () -> copy.write(List.of(record(random, "a"), record(random, "b"),
                        record(random, "a"))));
                assertEquals(0, count(c, "public.\"select\""), "nothing of the failed batch is in the table");
                assertEquals(0, count(c, "pg_temp.midstream_batch"), "nor left in the staging table");
                copy.write(List.of(record(random, "c")));
                copy.write(List.of(record(random, "d"), record(random, "e")));
            }
            assertEquals(3, count(c, "public.\"select\""));
            assertEquals(0, count(c, "pg_temp.midstream_batch"), "a committed batch leaves no staged rows either");
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }
}
