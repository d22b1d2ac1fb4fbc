package dev.midstream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.model.Database;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.reader.JobFiles;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.QualityTable;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report on known history rows and dead letters in PostgreSQL: exact numbers per data set, rule and partition,
 * every declared rule listed (those that never fired too), the verdict against the file's expectations as the exit
 * status, hostile dead-letter text shown as text, and a page that loads nothing from anywhere.
 */
public class QualityReportTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    public static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)> ada@example.com";
    /** How the report shows it: as text, its email hidden. */
    static final String SHOWN = HOSTILE.replace("ada@example.com", "<email>");
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** A dead letter's payload: an email in a PII field, another in free text, and markup. */
    static final String PAYLOAD = "{\"customer_email\":\"ada@example.com\",\"note\":\"mail bob@example.org"
            + " <script>alert(2)</script>\",\"amount\":-5}";

    @TempDir
    Path dir;

    /** {@code pipelines/orders.yaml} with a {@code quality:} section. */
    PipelineSpec orders(String quality) throws Exception {
        Path file = dir.resolve("orders.yaml");
        String orders = Files.readString(Path.of("../pipelines/orders.yaml"));
        // the file's own expectations give way to the test's
        Files.writeString(file, orders.substring(0, orders.indexOf("\nquality:\n")) + "\nquality:\n" + quality);
        return JobFiles.pipelines(List.of(file), Map.of("MIDSTREAM_PII_SALT", "salt-0123456789abcdef")::get)
                .pipelines().get(0);
    }

    /** Two checkpoints of history: 1,000 read, 900 written, 60 rejected, 40 deduplicated; last written 5 min ago. */
    public static TestDatabase history(PostgresExtension postgres) throws Exception {
        TestDatabase db = postgres.newDatabase("report");
        try (Connection c = db.connect()) {
            new QualityTable(SqlIdentifier.of("dq_counts"), Database.POSTGRESQL).create(c);
            DeadLetterTable.of(SqlIdentifier.of("dead_letters"), Database.POSTGRESQL).create(c);
            Instant first = NOW.minus(Duration.ofHours(3));
            Instant second = NOW.minus(Duration.ofMinutes(5));
            row(c, 1, first, "read", "", "", 0, 300);
            row(c, 1, first, "read", "", "", 1, 200);
            row(c, 1, first, "written", "", "", 0, 270);
            row(c, 1, first, "written", "", "", 1, 190);
            row(c, 1, first, "rejected", "validation", "amount_range", 0, 20);
            row(c, 1, first, "deduplicated", "dedup", "duplicate", 0, 10);
            row(c, 1, first, "deduplicated", "dedup", "stale", 1, 10);
            row(c, 2, second, "read", "", "", 0, 250);
            row(c, 2, second, "read", "", "", 1, 250);
            row(c, 2, second, "written", "", "", 0, 220);
            row(c, 2, second, "written", "", "", 1, 220);
            row(c, 2, second, "rejected", "validation", "amount_range", 0, 10);
            row(c, 2, second, "rejected", "parse", "malformed_json", 1, 30);
            row(c, 2, second, "deduplicated", "dedup", "duplicate", 0, 20);
            row(c, 2, second, "unknown_field", "schema", "coupon", 0, 7);
            row(c, 2, second, "null_field", "", "customer_phone", 0, 60);
            row(c, 2, second, "null_field", "", "customer_phone", 1, 30);
            // the sink table's rows, written 0.0, 0.1, … 9.9 s after their event time
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (order_id text PRIMARY KEY, event_time timestamptz NOT NULL,"
                        + " updated_at timestamptz NOT NULL)");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
                for (int i = 0; i < 100; i++) {
                    Instant written = second.plusSeconds(i);
                    s.setString(1, "o-" + i);
                    s.setTimestamp(2, Timestamp.from(written.minusMillis(100L * i)));
                    s.setTimestamp(3, Timestamp.from(written));
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dead_letters (source_topic, source_partition,"
                    + " source_offset, pipeline, stage, rule, field, reason, payload, payload_size, payload_truncated,"
                    + " rejected_at) VALUES ('ods.orders', 1, ?, 'orders', 'parse', 'malformed_json', NULL, ?, ?, 10,"
                    + " false, ?)")) {
                for (int i = 0; i < 5; i++) {
                    s.setLong(1, 100 + i);
                    s.setString(2, HOSTILE);
                    s.setBytes(3, PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    s.setTimestamp(4, Timestamp.from(second.plusSeconds(i)));
                    s.executeUpdate();
                }
            }
        }
        return db;
    }

    private static void row(Connection c, long checkpoint, Instant at, String measure, String stage, String rule,
            int partition, long records) throws Exception {
        try (PreparedStatement s = c.prepareStatement(new QualityTable(SqlIdentifier.of("dq_counts"),
                Database.POSTGRESQL).insertSql())) {
            s.setString(1, "run-1");
            s.setLong(2, checkpoint);
            s.setString(3, "orders");
            s.setString(4, measure);
            s.setString(5, stage);
            s.setString(6, rule);
            s.setString(7, "ods.orders");
            s.setInt(8, partition);
            s.setLong(9, records);
            s.setTimestamp(10, Timestamp.from(at));
            s.executeUpdate();
        }
    }

    private QualityReport report(TestDatabase db, String quality) throws Exception {
        return report(db, quality, PayloadPolicy.RAW);
    }

    private QualityReport report(TestDatabase db, String quality, PayloadPolicy payloads) throws Exception {
        try (Connection c = db.connect()) {
            return new ReportReader(c, Database.POSTGRESQL, "dq_counts", payloads).read(List.of(orders(quality)),
                    List.of(), NOW, Duration.ofHours(24), Duration.ofHours(1));
        }
    }

    @Test
    void theNumbersAreTheHistorysAndTheVerdictFollowsTheExpectations() throws Exception {
        TestDatabase db = history(POSTGRES);
        QualityReport ok = report(db, "  rejected_ratio: {warn: 10%, error: 20%}\n  freshness: {warn_after: 1h}\n");
        QualityReport.DataSet d = ok.dataSets().get(0);
        assertEquals(List.of(1000L, 900L, 60L, 40L, 0L), List.of(d.read(), d.written(), d.rejected(), d.deduplicated(),
                d.unaccounted()));
        assertEquals(0.06, d.rejectedRatio(), 1e-9);
        assertEquals(QualityReport.Status.OK, ok.status(), d.findings().toString());
        assertEquals(Duration.ofMinutes(5), d.sinceLastWritten());
        assertEquals(500, d.readLastHour());
        Map<String, Long> rules = d.rules().stream().collect(Collectors.toMap(r -> r.stage() + "/" + r.rule(),
                QualityReport.Count::records));
        assertEquals(30L, rules.get("validation/amount_range"));
        assertEquals(30L, rules.get("parse/malformed_json"));
        assertEquals(0L, rules.get("validation/status_enum"), "a declared rule that never fired is listed with 0");
        assertEquals(List.of("ods.orders-0: 30 of 550", "ods.orders-1: 30 of 450"), d.partitions().stream()
                .map(p -> p.topic() + "-" + p.partition() + ": " + p.rejected() + " of " + p.read()).toList());
        assertEquals("coupon", d.unknownFields().get(0).rule());
        assertEquals(List.of("customer_phone 90 0.1"), d.emptyFields().stream()
                .map(f -> f.rule() + " " + f.records() + " " + f.ratio()).toList(), "empty columns, of the rows written");
        // median and 99th percentile of written_at - event_time over the rows written in the window
        assertEquals(100, d.latency().rows());
        assertEquals(4.95, d.latency().p50Seconds(), 1e-9);
        assertEquals(9.801, d.latency().p99Seconds(), 1e-9);
        assertEquals(3, d.samples().size(), "at most three samples per rule");
        assertEquals(24, d.trend().size() - 1, "a day in hourly steps (plus the current hour)");
        assertEquals(500, d.trend().stream().mapToLong(QualityReport.Bucket::read).max().orElse(0));

        QualityReport warning = report(db, "  rejected_ratio: {warn: 5%, error: 20%}\n");
        assertEquals(QualityReport.Status.WARNING, warning.status());
        assertEquals(1, warning.status().ordinal(), "the exit code of a warning");
        assertTrue(warning.dataSets().get(0).findings().get(0).startsWith("rejected 6.00% of records, above the"
                + " warning threshold 5.00%"), warning.dataSets().get(0).findings().toString());
        QualityReport error = report(db, "  rejected_ratio: {error: 5%}\n  freshness: {error_after: 2min}\n");
        assertEquals(QualityReport.Status.ERROR, error.status());
        assertEquals(2, error.status().ordinal());
        assertEquals(2, error.dataSets().get(0).findings().size(), error.dataSets().get(0).findings().toString());
        assertEquals(QualityReport.Status.WARNING, report(db, "  min_records_per_hour: 501\n").status());
    }

    @Test
    void eventTimesAheadOfTheWriteAreNamedNotShownAsLatency() throws Exception {
        QualityReport.HistoryRows rows = new QualityReport.HistoryRows(List.of(new QualityReport.HistoryRows.Row(
                "read", "", "", "ods.orders", 0, 10, NOW.minusSeconds(60)), new QualityReport.HistoryRows.Row(
                "written", "", "", "ods.orders", 0, 10, NOW.minusSeconds(60))));
        QualityReport.DataSet d = QualityReport.dataSet(orders("  min_records_per_hour: 1\n"), rows,
                new QualityReport.Tables(List.of(), Map.of(), new QualityReport.Latency(10, -7200, -60), null), NOW,
                Duration.ofHours(1), Duration.ofMinutes(10));
        assertEquals(List.of("event times run ahead of the times their rows were written (median 2 h): a"
                + " producer's clock, or its data, is ahead; latency cannot be measured from event time"), d.findings());
        assertEquals(QualityReport.Status.OK, d.status(), "a finding to look at, not a failed expectation");
        String html = ReportWriter.html(new QualityReport(NOW, Duration.ofHours(1), Duration.ofMinutes(10), List.of(d)));
        assertTrue(html.contains("ahead 2 h / ahead 60 s"), "shown as ahead, not as a negative latency");
    }

    @Test
    void samplesShowNoPayloadWhenThePolicyKeepsNone() throws Exception {
        QualityReport report = report(history(POSTGRES), "  rejected_ratio: {warn: 10%}\n", PayloadPolicy.DROP);
        assertEquals(3, report.dataSets().get(0).samples().size());
        assertTrue(report.dataSets().get(0).samples().stream().allMatch(s -> s.payload() == null));
        assertTrue(Jsoup.parse(ReportWriter.html(report)).select("td.payload code").isEmpty());
    }

    @Test
    void aTransformLayerShowsEveryStepAndTheFactsThatWentOnWithoutTheirRow() throws Exception {
        TestDatabase db = history(POSTGRES);
        try (Connection c = db.connect()) {
            layerRow(c, "read", "", "", 400);
            layerRow(c, "rejected", "late:revenue_per_minute", "window_closed", 4);
            layerRow(c, "unmatched", "enrich:customer", "dimension_missing", 40);
            layerRow(c, "unmatched", "enrich:eur_rate", "lookup_missing", 10);
        }
        dev.midstream.model.LayerSpec sales = JobFiles.transforms(List.of(Path.of("../pipelines/sales.yaml")))
                .layers().get(0);
        QualityReport report;
        try (Connection c = db.connect()) {
            report = new ReportReader(c, Database.POSTGRESQL, "dq_counts", PayloadPolicy.RAW).read(List.of(),
                    List.of(sales), NOW, Duration.ofHours(24), Duration.ofHours(1));
        }
        QualityReport.DataSet d = report.dataSets().get(0);
        assertEquals("transform", d.kind());
        assertEquals(400, d.read());
        assertEquals(null, d.written(), "a fact can land in several tables: no written count");
        assertEquals(null, d.unaccounted());
        assertEquals(List.of("late:revenue_per_minute/window_closed 4", "late:revenue_per_hour/window_closed 0"),
                d.rules().stream().map(r -> r.stage() + "/" + r.rule() + " " + r.records()).toList(),
                "every window's late records, those without any too");
        assertEquals(List.of("enrich:customer/dimension_missing 40 0.1", "enrich:eur_rate/lookup_missing 10 0.025"),
                d.unmatched().stream().map(r -> r.stage() + "/" + r.rule() + " " + r.records() + " " + r.ratio())
                        .toList());
        assertEquals(null, d.lastWritten(), "its tables do not exist yet");
        Document page = Jsoup.parse(ReportWriter.html(report));
        assertTrue(page.text().contains("Facts that went on without their row"), page.text());
        assertEquals("transform", JsonMapper.builder().build().readTree(ReportWriter.json(report))
                .at("/data_sets/0/kind").asText());
    }

    private static void layerRow(Connection c, String measure, String stage, String rule, long records)
            throws Exception {
        try (PreparedStatement s = c.prepareStatement(new QualityTable(SqlIdentifier.of("dq_counts"),
                Database.POSTGRESQL).insertSql())) {
            s.setString(1, "run-2");
            s.setLong(2, 1);
            s.setString(3, "sales");
            s.setString(4, measure);
            s.setString(5, stage);
            s.setString(6, rule);
            s.setString(7, "dwd.orders");
            s.setInt(8, 0);
            s.setLong(9, records);
            s.setTimestamp(10, Timestamp.from(NOW.minusSeconds(600)));
            s.executeUpdate();
        }
    }

    @Test
    void recordsNotAccountedForAreAnError() throws Exception {
        TestDatabase db = history(POSTGRES);
        try (Connection c = db.connect()) {
            row(c, 3, NOW.minusSeconds(60), "read", "", "", 0, 5);
        }
        QualityReport report = report(db, "  min_records_per_hour: 1\n");
        assertEquals(5L, report.dataSets().get(0).unaccounted());
        assertEquals(QualityReport.Status.ERROR, report.status());
    }

    @Test
    void thePageIsSelfContainedListsEveryRuleAndShowsHostileTextAsText() throws Exception {
        QualityReport report = report(history(POSTGRES), "  rejected_ratio: {warn: 10%}\n");
        String html = ReportWriter.html(report);
        Document page = Jsoup.parse(html);

        Set<String> shown = page.select("table.rules td.rule").stream().map(Element::text).collect(Collectors.toSet());
        for (var rule : orders("  rejected_ratio: {warn: 10%}\n").rules()) {
            assertTrue(shown.contains(rule.id()), "rule " + rule.id() + " is in the page: " + shown);
        }
        assertEquals(3, page.select("script").size(), "the data, uPlot and the charts: no script from the data");
        assertTrue(page.select("img").isEmpty(), "the hostile img tag is text, not an element");
        assertTrue(page.select("td.reason").stream().allMatch(td -> td.text().equals(SHOWN)), "shown as it was");
        assertFalse(html.contains("ada@example.com") || html.contains("bob@example.org"), "no email in the page");
        assertEquals(3, page.select("td.payload code").size(), "the samples' payloads, as the policy kept them");
        assertTrue(page.select("td.payload code").stream().allMatch(code -> code.text().equals(
                "{\"customer_email\":\"<redacted>\",\"note\":\"mail <redacted-email> <script>alert(2)</script>\","
                        + "\"amount\":-5}")), "the PII field and the email hidden, the markup shown as text: "
                + page.select("td.payload").text());
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing is loaded from anywhere");
        assertEquals("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:",
                page.select("meta[http-equiv=Content-Security-Policy]").attr("content"));

        String data = page.getElementById("report-data").data();
        assertFalse(data.contains("</"), "the JSON cannot close its script element");
        JsonNode json = JsonMapper.builder().build().readTree(data);
        assertEquals(JsonMapper.builder().build().readTree(ReportWriter.json(report)), json, "the page's data is the JSON");
        assertEquals(1000, json.at("/data_sets/0/read").asLong());
        assertEquals("ok", json.at("/status").asText());
    }
}
