package dev.midstream.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.model.LookupSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Lookup enrichment against a real PostgreSQL table, with the cache's clock under the test's control. */
class JdbcLookupEnricherTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final AtomicLong NOW = new AtomicLong();
    static final LongSupplier CLOCK = (LongSupplier & Serializable) NOW::get;

    private static LookupSpec spec(int cacheSize, boolean rejectMissing) {
        return new LookupSpec("merchant", "merchants", "merchant_id", "merchant",
                Map.of("merchant_name", "name", "merchant_fee", "fee"), cacheSize, Duration.ofMinutes(5), rejectMissing);
    }

    private static TestDatabase database(String name) throws Exception {
        TestDatabase db = POSTGRES.newDatabase(name);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE merchants (merchant_id text PRIMARY KEY, name text, fee numeric(5,2))");
            s.execute("INSERT INTO merchants VALUES ('m1', 'Acme', 1.50), ('m2', 'Globex', 2.00)");
        }
        return db;
    }

    private static void sql(TestDatabase db, String statement) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> harness(TestDatabase db, LookupSpec spec)
            throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new JdbcLookupEnricher(spec, new dev.midstream.model.JdbcLogin(db.jdbcUrl(), null, null),
                new DeadLetterFactory("orders", 256), CLOCK));
    }

    private static FlowRecord order(String merchant) {
        return new FlowRecord(new Record().set("order_id", "o").set("merchant", merchant), "dwd.orders", 0, 3, null);
    }

    private static String enriched(OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> h, FlowRecord record)
            throws Exception {
        h.getOutput().clear();
        h.processElement(record, 0);
        List<FlowRecord> out = h.extractOutputValues();
        return out.isEmpty() ? "nothing" : out.get(0).data.get("merchant_name") + "/" + out.get(0).data.get("merchant_fee");
    }

    @Test
    void copiesTheRowsColumnsAndCachesThemForTheTtl() throws Exception {
        TestDatabase db = database("lookup_ttl");
        NOW.set(0);
        try (var h = harness(db, spec(100, false))) {
            assertEquals("Acme/1.50", enriched(h, order("m1")));
            sql(db, "UPDATE merchants SET name = 'Acme Corp' WHERE merchant_id = 'm1'");
            NOW.set(Duration.ofMinutes(4).toMillis());
            assertEquals("Acme/1.50", enriched(h, order("m1")), "served from the cache within the TTL");
            NOW.set(Duration.ofMinutes(5).toMillis());
            assertEquals("Acme Corp/1.50", enriched(h, order("m1")), "read again once the TTL has passed");
            assertEquals("Globex/2.00", enriched(h, order("m2")), "another key, its own row");
        }
    }

    @Test
    void theCacheIsBounded() throws Exception {
        TestDatabase db = database("lookup_bounded");
        NOW.set(0);
        try (var h = harness(db, spec(1, false))) {
            assertEquals("Acme/1.50", enriched(h, order("m1")));
            assertEquals("Globex/2.00", enriched(h, order("m2")));
            sql(db, "UPDATE merchants SET name = 'Acme Corp' WHERE merchant_id = 'm1'");
            assertEquals("Acme Corp/1.50", enriched(h, order("m1")), "m1 was evicted by m2, so it is read again");
        }
    }

    @Test
    void aMissingRowLeavesTheFieldsUnsetOrIsADeadLetter() throws Exception {
        TestDatabase db = database("lookup_missing");
        NOW.set(0);
        try (var h = harness(db, spec(100, false))) {
            assertEquals("null/null", enriched(h, order("m9")));
            assertEquals("null/null", enriched(h, new FlowRecord(new Record().set("order_id", "o"), "t", 0, 1, null)));
        }
        try (var h = harness(db, spec(100, true))) {
            assertEquals("nothing", enriched(h, order("m9")));
            DeadLetter letter = h.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).findFirst().get();
            assertEquals("enrich:merchant", letter.stageLabel(), "the stage names the lookup");
            assertEquals("lookup_missing", letter.rule);
            assertEquals("merchant", letter.field);
        }
    }

    @Test
    void namesAreQuotedAndTheKeyIsBound() {
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        columns.put("merchant_name", "name");
        columns.put("merchant_fee", "fee");
        assertEquals("SELECT \"name\", \"fee\" FROM \"merchants\" WHERE \"merchant_id\" = ?",
                JdbcLookupEnricher.sql(new LookupSpec("m", "merchants", "merchant_id", "merchant", columns, 10,
                        Duration.ofMinutes(1), false)));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> JdbcLookupEnricher.sql(new LookupSpec("m", "merchants; drop table x", "id", "merchant", columns, 10,
                        Duration.ofMinutes(1), false)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("is not a plain SQL name"), e.getMessage());
    }
}
