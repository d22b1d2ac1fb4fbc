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
    private static final long SETTLE_MAX_MS = 15_000;

    private final String jdbcUrl;
    private final String customersTable;
    private final LayerSpec transform;

    LayerProgress(String jdbcUrl, String customersTable, LayerSpec transform) {
        this.jdbcUrl = jdbcUrl;
        this.customersTable = customersTable;
        this.transform = transform;
    }

    record Line(String name, long customers, String wideTable, long enriched, long withoutCustomer,
            Map<String, Long> windowRows, long deadLetters, String lastWrite) {
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
            // Upserts change rows without changing counts: a fact released without its customer updates its row.
            String writtenAt = transform.wideTable().columns().stream()
                    .filter(col -> col.field().equals(dev.midstream.model.SinkSpec.WRITTEN_AT)).map(col -> "max(" + col.name()
                            + ")").findFirst().orElse("NULL");
            String lastWrite = null;
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE "
                    + transform.enrich().missingFlag() + "), " + writtenAt + " FROM " + wide)) {
                if (rs.next()) {
                    enriched = rs.getLong(1);
                    missing = rs.getLong(2);
                    lastWrite = rs.getString(3);
                }
            }
            Map<String, Long> windows = new LinkedHashMap<>();
            for (LayerSpec.Aggregate aggregate : transform.aggregates()) {
                windows.put(aggregate.table().table(), count(s, aggregate.table().table()));
            }
            return new Line(transform.name(), count(s, customersTable), wide, enriched, missing, windows,
                    count(s, transform.deadLetterTable()), lastWrite);
        }
    }

    /**
     * Waits until the layer's tables stop changing (clean records become visible a checkpoint after they are
     * written, then flow through enrichment and windows) for longer than the layer's idleness, at most
     * {@value #SETTLE_MAX_MS} ms beyond that.
     */
    Line settle() throws SQLException, InterruptedException {
        // Facts still waiting for a customer are released when the watermark moves on, which after the last
        // record takes the layer's idleness: the tables are settled once nothing changed for longer than that.
        long quietMs = transform.idleness() == null ? 3 * SETTLE_POLL_MS
                : Math.max(3 * SETTLE_POLL_MS, transform.idleness().toMillis() + 5_000);
        long deadline = System.currentTimeMillis() + quietMs + SETTLE_MAX_MS;
        Line last = sample();
        long changedAt = System.currentTimeMillis();
        while (System.currentTimeMillis() - changedAt < quietMs && System.currentTimeMillis() < deadline) {
            Thread.sleep(SETTLE_POLL_MS);
            Line next = sample();
            if (!next.equals(last)) {
                changedAt = System.currentTimeMillis();
            }
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
