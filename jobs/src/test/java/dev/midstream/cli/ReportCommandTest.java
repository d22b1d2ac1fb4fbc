package dev.midstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.report.QualityReportTest;
import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code midstream report} as people run it: files written, a line per data set, and the verdict as exit code. */
class ReportCommandTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Map<String, String> ENV = Map.of("MIDSTREAM_PII_SALT", "0123456789abcdef0123456789abcdef");

    @TempDir
    Path dir;

    private CliRun report(TestDatabase db, String quality, String... more) throws Exception {
        Path file = dir.resolve("orders.yaml");
        String orders = Files.readString(Path.of("../pipelines/orders.yaml"));
        // the file's own expectations give way to the test's
        Files.writeString(file, orders.substring(0, orders.indexOf("\nquality:\n")) + "\nquality:\n" + quality);
        String[] base = {"report", "--pipeline", file.toString(), "--midstream.kafka.bootstrap-servers", "unused:9092",
                "--midstream.jdbc.url", db.jdbcUrl(), "--since", "30d", "--out", dir.resolve("out/report.html").toString()};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(ENV::get, args);
    }

    @Test
    void writesTheReportAndExitsWithItsVerdict() throws Exception {
        TestDatabase db = QualityReportTest.history(POSTGRES);
        CliRun fine = report(db, "  rejected_ratio: {warn: 10%}\n");
        assertEquals(0, fine.exitCode(), fine.err());
        assertTrue(fine.out().startsWith("orders                   ok       1,000 read, 6.00% rejected, 0 unaccounted\n"),
                fine.out());
        assertTrue(Files.readString(dir.resolve("out/report.html")).contains("<title>Midstream data quality</title>"));
        assertTrue(Files.readString(dir.resolve("out/report.json")).contains("\"rejected\" : 60"));

        assertEquals(1, report(db, "  rejected_ratio: {warn: 5%}\n").exitCode(), "a warning");
        CliRun failed = report(db, "  rejected_ratio: {error: 5%}\n");
        assertEquals(2, failed.exitCode(), "an error");
        assertTrue(failed.out().contains("error    1,000 read, 6.00% rejected, 0 unaccounted: rejected 6.00% of records,"
                + " above the error threshold 5.00%"), failed.out());
    }

    @Test
    void aJobWithoutHistoryOrADatabaseIsToldWhatIsWrong() throws Exception {
        TestDatabase db = POSTGRES.newDatabase("no_history");
        CliRun missing = report(db, "  rejected_ratio: {warn: 10%}\n");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().startsWith("cannot read the quality history dq_counts"), missing.err());
        CliRun off = report(db, "  rejected_ratio: {warn: 10%}\n", "--midstream.quality.table", "none");
        assertEquals(1, off.exitCode());
        assertTrue(off.err().startsWith("midstream.quality.table is none"), off.err());
    }
}
