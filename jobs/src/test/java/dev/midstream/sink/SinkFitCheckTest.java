package dev.midstream.sink;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.model.Database;
import dev.midstream.model.SinkSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A row the table cannot hold becomes a {@code sink/...} dead letter instead of failing the batch statement and the
 * job with it. Each verdict is checked against the real PostgreSQL: what the check lets through, the table takes;
 * what it refuses, PostgreSQL refuses too (or would silently round, for decimal places).
 */
class SinkFitCheckTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static SinkSpec.Column column(String type) {
        return new SinkSpec.Column("c", "value", type);
    }

    @ParameterizedTest(name = "{0} ← {1}")
    @CsvSource(delimiter = '|', value = {
        "numeric(5,2)     | 123.45                 | ",
        "numeric(5,2)     | -999.99                | ",
        "numeric(5,2)     | 1000                   | column_overflow",
        "numeric(5,2)     | 1.234                  | column_overflow",
        "numeric(5,2)     | 1.230                  | ",
        "numeric(5,2)     | abc                    | column_type",
        "integer          | 2147483647             | ",
        "integer          | 2147483648             | column_overflow",
        "bigint           | 9223372036854775808    | column_overflow",
        "bigint           | 12.5                   | column_type",
        "bigint           | twelve                 | column_type",
        "boolean          | true                   | ",
        "boolean          | maybe                  | column_type",
        "double precision | 1e308                  | ",
        "double precision | 1e400                  | column_overflow",
        "timestamptz      | 2026-11-01T10:00:00Z   | ",
        "timestamptz      | +10000-01-01T00:00:00Z | column_overflow",
        "timestamptz      | yesterday at noon      | column_type",
        "jsonb            | {\"a\": [1, 2]}        | ",
        "jsonb            | not json               | column_type",
        "text             | anything at all        | ",
        "varchar(5)       | abcde                  | ",
        "varchar(5)       | ab😀de                 | ",
        "varchar(5)       | abcdef                 | column_overflow",
        "smallint         | 32767                  | ",
        "smallint         | 32768                  | column_overflow",
    })
    void theVerdictIsPostgresqls(String type, String text, String rule) throws Exception {
        SinkFitCheck.Misfit misfit = SinkFitCheck.misfit(column(type), text);
        assertEquals(rule, misfit == null ? null : misfit.rule(), String.valueOf(misfit));
        TestDatabase db = POSTGRES.newDatabase("fit_" + Math.abs((type + text).hashCode()));
        try (Connection c = db.connect(); var s = c.createStatement()) {
            s.execute("CREATE TABLE t (c " + type + ")");
            // An explicit cast to varchar(n) cuts silently; a write assigns, which refuses what is too long.
            try (PreparedStatement insert = c.prepareStatement(type.startsWith("varchar") ? "INSERT INTO t VALUES (?)"
                    : "INSERT INTO t SELECT CAST(? AS " + type + ")")) {
                insert.setString(1, text);
                if (misfit == null) {
                    assertEquals(1, insert.executeUpdate(), "PostgreSQL takes what the check lets through");
                } else if (type.startsWith("numeric") && rule.equals("column_overflow") && text.contains(".")) {
                    // More decimal places than the column keeps: PostgreSQL rounds without a word; Midstream refuses
                    // to change the value silently.
                    insert.executeUpdate();
                } else {
                    assertThrows(SQLException.class, insert::executeUpdate, "PostgreSQL refuses what the check refuses");
                }
            }
        }
    }

    /** Values of the column's own type are checked without their text form, with the text form's verdicts. */
    @Test
    void typedValuesGetTheVerdictOfTheirText() {
        Object[][] cases = {
            {"numeric(5,2)", new BigDecimal("123.45")}, {"numeric(5,2)", new BigDecimal("1000")},
            {"numeric(5,2)", new BigDecimal("1.234")}, {"numeric(5,2)", new BigDecimal("1.230")},
            {"numeric(5,2)", new BigDecimal("-999.99")}, {"numeric(5,2)", new BigDecimal("1E+3")},
            {"numeric(5,2)", 12L}, {"numeric(5,2)", 1000L}, {"integer", 2147483648L}, {"integer", -5L},
            {"smallint", 32768L}, {"bigint", Long.MAX_VALUE}, {"boolean", true}, {"boolean", "maybe"},
            {"timestamptz", java.time.Instant.parse("2026-11-01T10:00:00.123456789Z")},
            {"timestamptz", java.time.Instant.parse("+10000-01-01T00:00:00Z")},
            {"timestamptz", java.time.Instant.parse("0000-06-01T00:00:00Z")}, {"timestamptz", "yesterday"},
            {"jsonb", new dev.midstream.udf.Record().set("a", "x\"y").set("b", List.of(1L, 2L))},
            {"jsonb", List.of(new dev.midstream.udf.Record().set("n", new BigDecimal("1.5")))},
            {"varchar(5)", "abcdef"}, {"varchar(5)", "ab\uD83D\uDE00de"}, {"varchar(5)", 123456L},
            {"text", "nul \u0000 inside"}, {"bigint", "twelve"},
        };
        for (Object[] c : cases) {
            SinkSpec.Column column = column((String) c[0]);
            SinkFitCheck.Misfit typed = new SinkFitCheck.ColumnFit(column, 1, Integer.MAX_VALUE).checkValue(c[1]);
            SinkFitCheck.Misfit text = SinkFitCheck.misfit(column, RecordTable.text(c[1]));
            assertEquals(text, typed, c[0] + " <- " + c[1]);
        }
    }

    /** MariaDB keys text as VARCHAR(n): a longer key is a dead letter, counted in characters, by value or by text. */
    @Test
    void aTextKeyLongerThanItsColumnDoesNotFit() {
        SinkFitCheck.ColumnFit key = new SinkFitCheck.ColumnFit(column("text"), 1000, 3);
        assertEquals(new SinkFitCheck.Misfit("c", "column_overflow", "c: is 4 characters, the key column holds at most 3"),
                key.checkValue("abcd"));
        assertEquals(key.checkValue("abcd"), key.check("abcd"));
        assertEquals(null, key.checkValue("ab\uD83D\uDE00"));
        assertEquals(null, new SinkFitCheck.ColumnFit(column("text"), 1000, Integer.MAX_VALUE).checkValue("abcd"),
                "not a key column");
    }

    @Test
    void aRowThatDoesNotFitIsASinkDeadLetterNamingEveryColumn() throws Exception {
        SinkSpec sink = new SinkSpec("t", List.of("id"), List.of(new SinkSpec.Column("id", "id", "text"),
                new SinkSpec.Column("amount", "amount", "numeric(15,3)"), new SinkSpec.Column("n", "n", "integer"),
                new SinkSpec.Column("at", "$written_at", "timestamptz")), SinkSpec.Upsert.ALWAYS, null, null);
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new SinkFitCheck(sink, new DeadLetterFactory("orders", 1024)))) {
            harness.processElement(new FlowRecord(new Record().set("id", "ok").set("amount", new BigDecimal("12.5"))
                    .set("n", 3L), "t", 0, 1, null), 0);
            harness.processElement(new FlowRecord(new Record().set("id", "big").set("amount",
                    new BigDecimal("1000000000000.00")).set("n", 3_000_000_000L), "t", 0, 2, null), 0);
            assertEquals(List.of("ok"), harness.extractOutputValues().stream().map(r -> r.data.getString("id")).toList());
            List<DeadLetter> letters = harness.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue)
                    .toList();
            assertEquals(1, letters.size());
            DeadLetter letter = letters.get(0);
            assertEquals(Stage.SINK, letter.stage);
            assertEquals("column_overflow", letter.rule);
            assertEquals("amount", letter.field);
            assertEquals(2, letter.sourceOffset);
            assertTrue(letter.reason.contains("amount: 1000000000000.00 does not fit numeric(15,3)")
                    && letter.reason.contains("n: 3000000000 is out of the range of integer"), letter.reason);
            assertTrue(new String(letter.payload, java.nio.charset.StandardCharsets.UTF_8).contains("\"id\":\"big\""),
                    "the payload is the (masked) record the table refused");
        }
    }

    @Test
    void anEventTimeTheCleanTopicWouldRefuseIsASinkDeadLetter() throws Exception {
        SinkSpec sink = new SinkSpec("t", List.of("id"), List.of(new SinkSpec.Column("id", "id", "text"),
                new SinkSpec.Column("at", "at", "timestamptz")), SinkSpec.Upsert.ALWAYS, null, "dwd.t");
        java.time.Clock now = java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T12:00:00Z"), java.time.ZoneOffset.UTC);
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new SinkFitCheck(sink, Database.POSTGRESQL, "at",
                java.time.Duration.ofHours(1), new DeadLetterFactory("t", 1024), now, null))) {
            harness.processElement(new FlowRecord(new Record().set("id", "soon")
                    .set("at", java.time.Instant.parse("2026-12-01T12:59:59Z")), "t", 0, 1, null), 0);
            harness.processElement(new FlowRecord(new Record().set("id", "later")
                    .set("at", java.time.Instant.parse("2026-12-01T13:00:01Z")), "t", 0, 2, null), 0);
            harness.processElement(new FlowRecord(new Record().set("id", "past")
                    .set("at", java.time.Instant.parse("2001-01-01T00:00:00Z")), "t", 0, 3, null), 0);
            assertEquals(List.of("soon", "past"), harness.extractOutputValues().stream().map(r -> r.data.getString("id"))
                    .toList());
            DeadLetter letter = harness.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue)
                    .findFirst().orElseThrow();
            assertEquals("timestamp_ahead", letter.rule);
            assertEquals("at", letter.field);
            assertEquals(2, letter.sourceOffset);
        }
        SinkSpec withoutTopic = new SinkSpec("t", List.of("id"), sink.columns(), SinkSpec.Upsert.ALWAYS, null, null);
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new SinkFitCheck(withoutTopic, Database.POSTGRESQL, "at",
                java.time.Duration.ofHours(1), new DeadLetterFactory("t", 1024), java.time.Clock.systemUTC(), null))) {
            harness.processElement(new FlowRecord(new Record().set("id", "far").set("at",
                    java.time.Instant.parse("2099-01-01T00:00:00Z")), "t", 0, 1, null), 0);
            assertEquals(1, harness.extractOutputValues().size(), "a table alone takes any timestamp it can hold");
        }
    }
}
