package dev.midstream.job;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pipeline's totals per measure in the quality history ({@code dq_counts}), which is exact across every restart of
 * the job (Flink's counters start again with each).
 */
final class QualityHistoryTotals {
    private QualityHistoryTotals() {}

    /**
     * The totals once the history holds every record produced, each accounted for: read = written + rejected +
     * deduplicated + skipped.
     */
    static Map<String, Long> awaitAccounted(String jdbcUrl, String pipeline, long produced, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> history = Map.of();
        while (System.nanoTime() < deadline) {
            history = new TreeMap<>();
            try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement s = c.prepareStatement(
                    "SELECT measure, sum(records) FROM dq_counts WHERE pipeline = ? GROUP BY measure")) {
                s.setString(1, pipeline);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        history.put(rs.getString(1), rs.getLong(2));
                    }
                }
            } catch (SQLException notYet) {
                // the database may be coming back from a restart
            }
            long read = history.getOrDefault("read", 0L);
            if (read == produced && read == history.getOrDefault("written", 0L) + history.getOrDefault("rejected", 0L)
                    + history.getOrDefault("deduplicated", 0L) + history.getOrDefault("skipped", 0L)) {
                return history;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the quality history does not account for the " + produced + " records produced: "
                + history);
    }
}
