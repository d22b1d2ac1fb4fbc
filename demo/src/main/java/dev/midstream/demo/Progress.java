package dev.midstream.demo;

import dev.midstream.testkit.FlinkRestMetrics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * One progress sample of the orders pipeline: its accounting counters (from the job vertices named after the
 * pipeline, so the other pipelines and layers of the job do not mix in), the table sizes, and the read rate since
 * the last sample.
 */
final class Progress {
    private final FlinkRestMetrics metrics;
    private final String jdbcUrl;
    private final String pipeline;
    private long lastRead;
    private long lastNanos = System.nanoTime();

    Progress(FlinkRestMetrics metrics, String jdbcUrl, String pipeline) {
        this.metrics = metrics;
        this.jdbcUrl = jdbcUrl;
        this.pipeline = pipeline;
    }

    record Line(long produced, long read, long written, long rejected, long deduplicated, long rows, long deadLetters,
                double perSecond) {
        boolean settled(long producedTotal) {
            return read >= producedTotal && read == written + rejected + deduplicated;
        }

        String summary() {
            return String.format("produced %,d · read %,d = written %,d + rejected %,d + deduplicated %,d · orders rows %,d · dead letters %,d",
                    produced, read, written, rejected, deduplicated, rows, deadLetters);
        }

        @Override
        public String toString() {
            return String.format("produced %,9d | read %,9d | written %,9d | rejected %,7d | deduplicated %,7d | rows %,9d | dead letters %,7d | %,8.0f rec/s",
                    produced, read, written, rejected, deduplicated, rows, deadLetters, perSecond);
        }
    }

    /** Samples the job first and {@code produced} last, so produced ≥ read holds within a line. */
    Line sample(java.util.function.LongSupplier producedSoFar) throws Exception {
        Map<String, Long> c;
        try {
            c = metrics.midstreamCounters(vertex -> vertex.contains(pipeline + ": "));
        } catch (Exception e) {
            c = Map.of();
        }
        long read = c.getOrDefault("read", 0L);
        long now = System.nanoTime();
        double rate = (read - lastRead) * 1e9 / Math.max(1, now - lastNanos);
        lastRead = read;
        lastNanos = now;
        long rows = 0;
        long letters = 0;
        try (Connection conn = DriverManager.getConnection(jdbcUrl); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM dead_letters)")) {
            if (rs.next()) {
                rows = rs.getLong(1);
                letters = rs.getLong(2);
            }
        }
        return new Line(producedSoFar.getAsLong(), read, c.getOrDefault("written", 0L), c.getOrDefault("rejected", 0L),
                c.getOrDefault("deduplicated", 0L), rows, letters, rate);
    }
}
