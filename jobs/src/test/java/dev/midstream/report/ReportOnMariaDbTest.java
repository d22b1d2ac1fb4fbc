package dev.midstream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.model.Database;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.QualityTable;
import dev.midstream.testkit.MariaDbExtension;
import dev.midstream.testkit.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The report's SQL on MariaDB: the history's sums, the dead letters' samples and the latency percentiles. */
class ReportOnMariaDbTest {
    @RegisterExtension
    static final MariaDbExtension MARIADB = new MariaDbExtension();

    @TempDir
    Path dir;

    @Test
    void readsTheSameNumbersFromMariaDb() throws Exception {
        TestDatabase db = MARIADB.newDatabase("report");
        Instant now = QualityReportTest.NOW;
        try (Connection c = db.connect()) {
            new QualityTable(SqlIdentifier.of("dq_counts"), Database.MARIADB).create(c);
            DeadLetterTable.of(SqlIdentifier.of("dead_letters"), Database.MARIADB).create(c);
            try (PreparedStatement s = c.prepareStatement(new QualityTable(SqlIdentifier.of("dq_counts"),
                    Database.MARIADB).insertSql())) {
                Object[][] rows = {{"read", "", "", 100L}, {"written", "", "", 80L},
                        {"rejected", "validation", "amount_range", 15L}, {"deduplicated", "dedup", "stale", 5L},
                        {"null_field", "", "channel", 8L}};
                for (Object[] row : rows) {
                    s.setString(1, "run-1");
                    s.setLong(2, 1);
                    s.setString(3, "orders");
                    s.setString(4, (String) row[0]);
                    s.setString(5, (String) row[1]);
                    s.setString(6, (String) row[2]);
                    s.setString(7, "ods.orders");
                    s.setInt(8, 0);
                    s.setLong(9, (Long) row[3]);
                    s.setTimestamp(10, Timestamp.from(now.minusSeconds(60)));
                    s.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (order_id VARCHAR(64) PRIMARY KEY, event_time DATETIME(6) NOT NULL,"
                        + " updated_at DATETIME(6) NOT NULL)");
                s.execute("INSERT INTO dead_letters (source_topic, source_partition, source_offset, pipeline, stage,"
                        + " rule, field, reason, payload, payload_size, payload_truncated, rejected_at) VALUES"
                        + " ('ods.orders', 0, 7, 'orders', 'validation', 'amount_range', 'amount', 'too big',"
                        + " '{\"customer_email\":\"ada@example.com\"}', 33, 0, '2026-12-01 11:59:00')");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
                for (int i = 0; i < 100; i++) {
                    Instant written = now.minusSeconds(300 - i);
                    s.setString(1, "o-" + i);
                    s.setTimestamp(2, Timestamp.from(written.minusMillis(100L * i)));
                    s.setTimestamp(3, Timestamp.from(written));
                    s.executeUpdate();
                }
            }
        }
        QualityReportTest fixture = new QualityReportTest();
        fixture.dir = dir;
        QualityReport.DataSet d;
        try (Connection c = db.connect()) {
            d = new ReportReader(c, Database.MARIADB, "dq_counts", PayloadPolicy.REDACT)
                    .read(List.of(fixture.orders("  rejected_ratio: {warn: 10%}\n")), List.of(), now,
                            Duration.ofHours(24), Duration.ofHours(1)).dataSets().get(0);
        }
        assertEquals(List.of(100L, 80L, 15L, 5L, 0L), List.of(d.read(), d.written(), d.rejected(), d.deduplicated(),
                d.unaccounted()));
        assertEquals(QualityReport.Status.WARNING, d.status(), "15 % rejected, above the 10 % warning");
        assertEquals(List.of("channel 8 0.1"), d.emptyFields().stream()
                .map(f -> f.rule() + " " + f.records() + " " + f.ratio()).toList());
        assertEquals(100, d.latency().rows());
        assertEquals(4.95, d.latency().p50Seconds(), 1e-6);
        assertEquals(9.801, d.latency().p99Seconds(), 1e-6);
        assertEquals("{\"customer_email\":\"<redacted>\"}", d.samples().get(0).payload());
        assertEquals("amount", d.samples().get(0).field());
    }
}
