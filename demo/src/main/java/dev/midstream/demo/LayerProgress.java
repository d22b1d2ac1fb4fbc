package dev.midstream.demo;

import dev.midstream.model.LayerSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Progress of the second layer, read from its tables: customers, the wide table, the aggregates, late records. */
final class LayerProgress {
    private static final long SETTLE_POLL_MS = 2_000;
    private static final long SETTLE_MAX_MS = 45_000;

    private final String jdbcUrl;
    private final String customersTable;
    private final LayerSpec transform;

    LayerProgress(String jdbcUrl, String customersTable, LayerSpec transform) {
        this.jdbcUrl = jdbcUrl;
        this.customersTable = customersTable;
        this.transform = transform;
    }

    record Line(String name, long customers, String wideTable, long enriched, long withoutCustomer,
            Map<String, Long> windowRows, long deadLetters) {
        long windowRowsTotal() {
            return windowRows.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            List<String> windows = new ArrayList<>();
            windowRows.forEach((table, rows) -> windows.add(String.format("%s %,d", table, rows)));
            return String.format("  %s: customers %,d | %s %,d (%,d without customer) | %s | late or rejected %,d",
                    name, customers, wideTable, enriched, withoutCustomer, String.join(" | ", windows), deadLetters);
        }
    }

    Line sample() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            String wide = transform.wideTable().table();
            long enriched = 0;
            long missing = 0;
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE "
                    + transform.enrich().missingFlag() + ") FROM " + wide)) {
                if (rs.next()) {
                    enriched = rs.getLong(1);
                    missing = rs.getLong(2);
                }
            }
            Map<String, Long> windows = new LinkedHashMap<>();
            for (LayerSpec.Aggregate aggregate : transform.aggregates()) {
                windows.put(aggregate.table().table(), count(s, aggregate.table().table()));
            }
            return new Line(transform.name(), count(s, customersTable), wide, enriched, missing, windows,
                    count(s, transform.deadLetterTable()));
        }
    }

    /**
     * Waits until the layer's tables stop changing (clean records become visible a checkpoint after they are
     * written, then flow through enrichment and windows), at most {@value #SETTLE_MAX_MS} ms.
     */
    Line settle() throws SQLException, InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MAX_MS;
        Line last = sample();
        int unchanged = 0;
        while (unchanged < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(SETTLE_POLL_MS);
            Line next = sample();
            unchanged = next.equals(last) ? unchanged + 1 : 0;
            last = next;
        }
        return last;
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
