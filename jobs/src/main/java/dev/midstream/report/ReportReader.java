package dev.midstream.report;

import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.model.Database;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SqlIdentifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@link QualityReport} from the quality history table and the pipelines' dead-letter tables. */
public final class ReportReader {
    /** Recent dead letters shown per stage and rule. */
    static final int SAMPLES_PER_RULE = 3;

    private final Connection connection;
    private final Database database;
    private final SqlIdentifier history;

    public ReportReader(Connection connection, Database database, String historyTable) {
        this.connection = connection;
        this.database = database;
        this.history = SqlIdentifier.of(historyTable);
    }

    public QualityReport read(List<PipelineSpec> pipelines, Instant now, Duration window, Duration bucket)
            throws SQLException {
        List<QualityReport.DataSet> dataSets = new ArrayList<>();
        for (PipelineSpec spec : pipelines) {
            QualityReport.HistoryRows rows = historyRows(spec.name());
            String deadLetters = spec.deadLetters().table();
            List<QualityReport.Sample> samples = deadLetters == null ? List.of() : samples(deadLetters, spec.name());
            Map<String, Long> fields = deadLetters == null ? Map.of()
                    : topFields(deadLetters, spec.name(), now.minus(window));
            dataSets.add(QualityReport.dataSet(spec, rows, samples, fields, now, window, bucket));
        }
        return new QualityReport(now, window, bucket, dataSets);
    }

    private String table(SqlIdentifier table) {
        return database == Database.MARIADB ? table.quoted('`') : table.sql();
    }

    private QualityReport.HistoryRows historyRows(String pipeline) throws SQLException {
        List<QualityReport.HistoryRows.Row> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT measure, stage, rule, source_topic,"
                + " source_partition, records, recorded_at FROM " + table(history) + " WHERE pipeline = ?")) {
            s.setString(1, pipeline);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new QualityReport.HistoryRows.Row(r.getString(1), r.getString(2), r.getString(3),
                            r.getString(4), r.getInt(5), r.getLong(6), r.getTimestamp(7).toInstant()));
                }
            }
        }
        return new QualityReport.HistoryRows(rows);
    }

    /** The newest dead letters, a few per stage and rule. */
    private List<QualityReport.Sample> samples(String deadLetters, String pipeline) throws SQLException {
        Map<String, List<QualityReport.Sample>> byRule = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT stage, rule, field, reason, source_topic,"
                + " source_partition, source_offset, rejected_at FROM " + table(SqlIdentifier.of(deadLetters))
                + " WHERE pipeline = ? ORDER BY rejected_at DESC, source_offset DESC")) {
            s.setString(1, pipeline);
            s.setMaxRows(5_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<QualityReport.Sample> list = byRule.computeIfAbsent(r.getString(1) + '/' + r.getString(2),
                            k -> new ArrayList<>());
                    if (list.size() < SAMPLES_PER_RULE) {
                        list.add(new QualityReport.Sample(r.getString(1), r.getString(2), r.getString(3),
                                // Reasons name fields, not values; should one quote a value, its email is not shown.
                                PayloadPolicy.EMAIL.matcher(r.getString(4)).replaceAll("<email>"), r.getString(5) + "-" + r.getInt(6) + "@" + r.getLong(7),
                                r.getTimestamp(8).toInstant()));
                    }
                }
            }
        }
        List<QualityReport.Sample> out = new ArrayList<>();
        byRule.values().forEach(out::addAll);
        return out;
    }

    /** Which fields the rejects of the window name, with counts. */
    private Map<String, Long> topFields(String deadLetters, String pipeline, Instant from) throws SQLException {
        Map<String, Long> fields = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT field, count(*) FROM "
                + table(SqlIdentifier.of(deadLetters)) + " WHERE pipeline = ? AND rejected_at >= ? AND field IS NOT NULL"
                + " GROUP BY field ORDER BY count(*) DESC")) {
            s.setString(1, pipeline);
            s.setTimestamp(2, Timestamp.from(from));
            s.setMaxRows(10);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    fields.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return fields;
    }
}
