package dev.midstream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.midstream.testkit.PostgresExtension;
import dev.midstream.testkit.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard's quality-history panels run against the real history table in PostgreSQL, with Grafana's
 * PostgreSQL macros expanded as its data source expands them, and show the numbers the report shows.
 */
class DashboardHistoryQueriesTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Pattern TIME_GROUP_ALIAS = Pattern.compile("\\$__timeGroupAlias\\((\\w+), *\\$__interval\\)");
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([\\w.]+)\\)");

    /** Grafana's expansion for a dashboard range of the last day and a 1 h interval, data set {@code orders}. */
    static String expand(String sql, Instant from, Instant to) {
        String out = TIME_GROUP_ALIAS.matcher(sql).replaceAll(m -> "floor(extract(epoch from " + m.group(1)
                + ")/3600)*3600 AS \"time\"");
        out = TIME_FILTER.matcher(out).replaceAll(m -> m.group(1) + " BETWEEN '" + from + "' AND '" + to + "'");
        return out.replace("$pipeline", "orders");
    }

    @Test
    void theHistoryPanelsRunOnTheHistoryTableAndShowTheReportsNumbers() throws Exception {
        TestDatabase db = QualityReportTest.history(POSTGRES);
        JsonNode dashboard = JsonMapper.builder().build().readTree(Path.of("../deploy/grafana/midstream-dashboard.json")
                .toFile());
        Instant to = QualityReportTest.NOW;
        Instant from = to.minus(Duration.ofDays(1));
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    if (!target.has("rawSql")) {
                        continue;
                    }
                    assertEquals("${history}", target.at("/datasource/uid").asText(), panel.path("title").asText());
                    String sql = expand(target.path("rawSql").asText(), from, to);
                    assertFalse(sql.contains("$"), "every macro expanded: " + sql);
                    Map<String, Double> rows = new TreeMap<>();
                    try (ResultSet r = s.executeQuery(sql)) {
                        int columns = r.getMetaData().getColumnCount();
                        while (r.next()) {
                            // label: the text columns; value: the last numeric column, summed over time buckets
                            StringBuilder label = new StringBuilder();
                            for (int i = 1; i < columns; i++) {
                                if (!r.getMetaData().getColumnLabel(i).equals("time")) {
                                    label.append(label.isEmpty() ? "" : " ").append(r.getString(i));
                                }
                            }
                            rows.merge(label.toString(), r.getDouble(columns), Double::sum);
                        }
                    }
                    results.put(panel.path("title").asText(), rows);
                }
            }
        }
        assertEquals(6, results.size(), "the history panels: " + results.keySet());
        assertEquals(Map.of("parse/malformed_json", 30.0, "validation/amount_range", 30.0),
                results.get("History (exact): rejected per rule"));
        assertEquals(Map.of("", 0.0), results.get("History (exact): unaccounted records (all time, must be 0)"));
        assertEquals(Map.of("coupon", 7.0), results.get("History (exact): undeclared fields (schema drift)"));
        assertEquals(0.1, results.get("History (exact): empty columns in the rows written").get("customer_phone 90"),
                1e-9, "90 of 900 rows written");
        assertEquals(Map.of("ods.orders-0 550", 30.0, "ods.orders-1 450", 30.0),
                results.get("History (exact): rejects per source partition"));
        Map<String, Double> ratio = results.get("History (exact): rejection ratio");
        assertEquals(0.04 + 0.08, ratio.get(""), 1e-9, "4 % and 8 % in the two hours with counts: " + ratio);
    }
}
