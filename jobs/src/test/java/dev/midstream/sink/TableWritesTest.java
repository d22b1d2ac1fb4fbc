package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.deadletter.Stage;
import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.Database;
import dev.midstream.model.JdbcLogin;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.testkit.MariaDbExtension;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.udf.Record;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a pipeline's table on both databases, against real servers (PostgreSQL 17, MariaDB 10.11), and on
 * PostgreSQL both ways a batch is written (one statement; COPY and a merge): upserts gated by version, a change stream's soft and hard deletes gated alike, additive migrations, dead letters written once.
 */
class TableWritesTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    private static TestDatabase database(Database kind, String name) {
        return kind == Database.MARIADB ? MARIADB.newDatabase(name) : POSTGRES.newDatabase(name);
    }

    /** A change-stream pipeline's sink: items by id, version the log position, deletes as given. */
    private static SinkSpec sink(String deletes, String upsert, String extraColumns) {
        return PipelineReader.parse("items.yaml", """
                pipeline: items
                source: {topics: [items], format: debezium-json}
                schema:
                  id: {type: string, required: true}
                  amount: {type: 'decimal(10,2)'}
                  at: {type: timestamp}
                  active: {type: boolean}
                  note: {type: string}
                key: [id]
                dedup: {ttl: 1d}
                sink:
                  table: items
                  primary_key: [id]
                  upsert: %s
                  deletes: %s
                  columns:
                    id: id
                    amount: amount
                    at: at
                    active: active
                    position: $position
                %s
                """.formatted(upsert, deletes, extraColumns), Map.<String, String>of()::get, FunctionCatalog.load())
                .sink();
    }

    private static SinkSpec soft() {
        return sink("soft", "newer", "    deleted: $deleted\n    written: $written_at");
    }

    private static FlowRecord upsert(String id, String amount, long position) {
        Record data = new Record().set("id", id).set("amount", amount == null ? null : new BigDecimal(amount))
                .set("at", Instant.parse("2024-03-15T10:30:00.123Z")).set("active", true);
        return new FlowRecord(data, "items", 0, position, null).change(false, 1, position);
    }

    private static FlowRecord delete(String id, long position) {
        return new FlowRecord(new Record().set("id", id), "items", 0, position, null).change(true, 1, position);
    }


    /** id|amount|at|active|position[|deleted], by id, in the same words on both databases. */
    private static List<String> rows(Connection c, boolean withDeleted) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, amount, at, active, position"
                + (withDeleted ? ", deleted" : "") + " FROM items ORDER BY id")) {
            while (r.next()) {
                StringBuilder row = new StringBuilder(r.getString(1));
                for (int i = 2; i <= (withDeleted ? 6 : 5); i++) {
                    row.append('|').append(plain(r.getObject(i)));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static String plain(Object value) {
        if (value instanceof OffsetDateTime at) {
            return at.toInstant().toString();
        }
        if (value instanceof LocalDateTime at) {
            return at.toInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof java.sql.Timestamp at) {
            return at.toLocalDateTime().toInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number n && !(value instanceof Long)) {
            return n.intValue() == 1 ? "true" : n.intValue() == 0 ? "false" : n.toString();
        }
        return String.valueOf(value);
    }

    private static String pos(long minor) {
        return new FlowRecord().change(false, 1, minor).position().toString();
    }

    @ParameterizedTest
    @EnumSource(WritePath.class)
    void newerPositionsReplaceRowsAndOlderOnesNever(WritePath path) throws Exception {
        Database kind = path.database;
        RecordTable table = RecordTable.of(soft(), kind);
        try (Connection c = database(kind, "writes_newer").connect()) {
            table.create(c);
            table.create(c);
            path.write(c, table, List.of(upsert("a", "1.50", 5), upsert("b", null, 5)));
            path.write(c, table, List.of(upsert("a", "3", 9)));
            path.write(c, table, List.of(upsert("a", "2", 7), upsert("b", "4", 6)));
            assertEquals(List.of("a|3.00|2024-03-15T10:30:00.123Z|true|" + pos(9) + "|false",
                    "b|4.00|2024-03-15T10:30:00.123Z|true|" + pos(6) + "|false"), rows(c, true));
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM items WHERE"
                    + " written IS NOT NULL")) {
                r.next();
                assertEquals(2, r.getInt(1), "$written_at is filled by the database");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WritePath.class)
    void positionsBeyondALongAreStoredExactly(WritePath path) throws Exception {
        Database kind = path.database;
        RecordTable table = RecordTable.of(soft(), kind);
        FlowRecord late = upsert("a", "1", 0).change(false, Long.MAX_VALUE, Long.MAX_VALUE);
        FlowRecord later = upsert("a", "2", 0).change(false, Long.MAX_VALUE, Long.MAX_VALUE - 1);
        try (Connection c = database(kind, "writes_position").connect()) {
            table.create(c);
            path.write(c, table, List.of(late));
            path.write(c, table, List.of(later));
            assertEquals(List.of("a|1.00|2024-03-15T10:30:00.123Z|true|" + late.position()), rows(c, false),
                    "(max, max - 1) is before (max, max): the minor part counts");
        }
    }

    @ParameterizedTest
    @EnumSource(WritePath.class)
    void aSoftDeleteFlagsTheRowAndAStaleUpsertCannotBringItBack(WritePath path) throws Exception {
        Database kind = path.database;
        RecordTable table = RecordTable.of(soft(), kind);
        try (Connection c = database(kind, "writes_soft").connect()) {
            table.create(c);
            path.write(c, table, List.of(upsert("a", "1.50", 5), delete("z", 3)));
            path.write(c, table, List.of(delete("a", 7)));
            assertEquals(List.of("a|1.50|2024-03-15T10:30:00.123Z|true|" + pos(7) + "|true",
                    "z|null|null|null|" + pos(3) + "|true"), rows(c, true),
                    "the row keeps its last values; a delete of an unknown key leaves its key, flagged");
            path.write(c, table, List.of(upsert("a", "9", 6), delete("a", 7)));
            assertEquals("a|1.50|2024-03-15T10:30:00.123Z|true|" + pos(7) + "|true", rows(c, true).get(0),
                    "an older upsert and the delete's replay change nothing");
            path.write(c, table, List.of(upsert("a", "2", 11)));
            assertEquals("a|2.00|2024-03-15T10:30:00.123Z|true|" + pos(11) + "|false", rows(c, true).get(0),
                    "a newer change brings the key back");
        }
    }

    @ParameterizedTest
    @EnumSource(WritePath.class)
    void aHardDeleteRemovesTheRowOnlyWhereItIsOlder(WritePath path) throws Exception {
        Database kind = path.database;
        RecordTable table = RecordTable.of(sink("hard", "newer", ""), kind);
        try (Connection c = database(kind, "writes_hard").connect()) {
            table.create(c);
            path.write(c, table, List.of(upsert("a", "1", 5), upsert("b", "2", 5), upsert("c", "3", 5)));
            path.write(c, table, List.of(delete("a", 4), delete("b", 7), upsert("c", "4", 8), delete("x", 9)));
            assertEquals(List.of("a|1.00|2024-03-15T10:30:00.123Z|true|" + pos(5),
                    "c|4.00|2024-03-15T10:30:00.123Z|true|" + pos(8)), rows(c, false),
                    "the older delete of a leaves it, b is gone, c is upserted in the same batch");
            path.write(c, table, List.of(upsert("b", "2", 5)));
            assertEquals(3, rows(c, false).size(), "the table forgets a hard-deleted key: a stale upsert that got past"
                    + " dedup would bring it back, which is why dedup remembers deletes for its TTL");
        }
    }

    @ParameterizedTest
    @EnumSource(WritePath.class)
    void aColumnTheFileAddsIsAddedAndOtherChangesAreRefused(WritePath path) throws Exception {
        Database kind = path.database;
        SinkSpec before = sink("soft", "newer", "    deleted: $deleted");
        SinkSpec added = sink("soft", "newer", "    deleted: $deleted\n    note: note");
        try (Connection c = database(kind, "writes_migration").connect()) {
            RecordTable.of(before, kind).create(c);
            RecordTable.of(before, kind).existingColumns(c);
            TableMigration none = TableMigration.plan(RecordTable.of(before, kind),
                    RecordTable.of(before, kind).existingColumns(c));
            assertEquals(List.of(), none.statements(), "the table the file made needs nothing");
            assertEquals(List.of(), none.refusals());

            RecordTable next = RecordTable.of(added, kind);
            TableMigration plan = TableMigration.plan(next, next.existingColumns(c));
            assertEquals(List.of("note"), plan.added());
            assertEquals(List.of(), plan.refusals());
            try (Statement s = c.createStatement()) {
                for (String sql : plan.statements()) {
                    s.execute(sql);
                }
            }
            path.write(c, next, List.of(upsert("a", "1", 5)));
            assertEquals(List.of(), TableMigration.plan(next, next.existingColumns(c)).statements());

            TableMigration dropped = TableMigration.plan(RecordTable.of(before, kind), next.existingColumns(c));
            assertEquals(1, dropped.refusals().size(), dropped.refusals().toString());
            assertTrue(dropped.refusals().get(0).startsWith("items.note: is in the table but not in the file's"
                    + " sink.columns"), dropped.refusals().get(0));
            assertTrue(dropped.refusals().get(0).contains("DROP COLUMN note"), dropped.refusals().get(0));

            SinkSpec narrowed = PipelineReader.parse("items.yaml", """
                    pipeline: items
                    source: {topics: [items], format: debezium-json}
                    schema: {id: {type: string, required: true}, amount: {type: 'decimal(8,2)'}, note: {type: string}}
                    key: [id]
                    dedup: {ttl: 1d}
                    sink: {table: items, primary_key: [id], upsert: newer, columns: {id: id, amount: amount, at: {field: at_text, type: timestamptz}, active: {field: active_text, type: boolean}, position: $position, deleted: $deleted, note: note}}
                    """, Map.<String, String>of()::get, FunctionCatalog.load()).sink();
            TableMigration refused = TableMigration.plan(RecordTable.of(narrowed, kind), next.existingColumns(c));
            assertEquals(1, refused.refusals().size(), refused.refusals().toString());
            assertTrue(refused.refusals().get(0).startsWith("items.amount: is "), refused.refusals().get(0));
            assertTrue(refused.refusals().get(0).contains("(8,2)"), refused.refusals().get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aDeadLetterIsWrittenOnceHoweverOftenItIsReplayed(Database kind) throws Exception {
        DeadLetterTable table = DeadLetterTable.of(SqlIdentifier.of("dead_letters"), kind);
        DeadLetter letter = new DeadLetterFactory("items", 1024, PayloadPolicy.RAW, List.of()).create(
                Stage.VALIDATION, "amount_type", "amount", "amount: expected a number", "items", 2, 41,
                "{\"id\":\"a\",\"amount\":\"x\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (Connection c = database(kind, "writes_dead_letters").connect()) {
            table.create(c);
            for (int i = 0; i < 2; i++) {
                try (PreparedStatement insert = c.prepareStatement(table.insertSql())) {
                    table.statementBuilder().accept(insert, letter);
                    insert.executeUpdate();
                }
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*), min(rule), min(payload_size) FROM dead_letters")) {
                r.next();
                assertEquals(1, r.getInt(1));
                assertEquals("amount_type", r.getString(2));
                assertEquals(letter.payloadSize, r.getInt(3));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aBatchOfDeadLettersIsWrittenOnceWithAReplayInsideIt(Database kind) throws Exception {
        DeadLetterTable table = DeadLetterTable.of(SqlIdentifier.of("dead_letters"), kind);
        DeadLetterFactory letters = new DeadLetterFactory("items", 1024, PayloadPolicy.RAW, List.of());
        TestDatabase db = database(kind, "writes_dead_letter_batches");
        LoginConnectionProvider provider = LoginConnectionProvider.forInsertBatches(new JdbcLogin(db.jdbcUrl(), null,
                null));
        try (Connection c = provider.getOrEstablishConnection()) {
            table.create(c);
            int[] counts;
            try (PreparedStatement insert = c.prepareStatement(table.insertSql())) {
                for (long offset : new long[] {41, 42, 41, 43}) {
                    table.statementBuilder().accept(insert, letters.create(Stage.VALIDATION, "amount_type", "amount",
                            "amount: expected a number", "items", 2, offset, "{}".getBytes(
                                    java.nio.charset.StandardCharsets.UTF_8)));
                    insert.addBatch();
                }
                counts = insert.executeBatch();
            }
            if (kind == Database.POSTGRESQL) {
                // The driver answers so only for rows it sent in one multi-row insert (in power-of-two chunks: here
                // one of four); row by row it says 1, 1, 0, 1.
                assertEquals(List.of(Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO,
                        Statement.SUCCESS_NO_INFO), java.util.Arrays.stream(counts).boxed().toList());
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*), count(DISTINCT source_offset) FROM dead_letters")) {
                r.next();
                assertEquals(3, r.getInt(1));
                assertEquals(3, r.getInt(2));
            }
        } finally {
            provider.closeConnection();
        }
    }
}
