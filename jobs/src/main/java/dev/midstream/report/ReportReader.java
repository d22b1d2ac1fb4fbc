package dev.midstream.report;

import dev.midstream.deadletter.PayloadPolicy;
import dev.midstream.model.Database;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SinkSpec;
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

/**
 * Reads a {@link QualityReport} from the quality history table, the data sets' dead-letter tables (recent samples,
 * the fields rejects name) and their sink tables (latency from event time to {@code $written_at}; a transform's
 * freshness).
 */
public final class ReportReader {
    /** Recent dead letters shown per stage and rule. */
    static final int SAMPLES_PER_RULE = 3;
    /** The most of a payload a sample shows. */
    static final int SAMPLE_CHARS = 600;

    private final Connection connection;
    private final Database database;
    private final SqlIdentifier history;
    private final PayloadPolicy payloads;

    /** {@code payloads}: the job's {@code midstream.deadletter.payload}, what samples may show. */
    public ReportReader(Connection connection, Database database, String historyTable, PayloadPolicy payloads) {
        this.connection = connection;
        this.database = database;
        this.history = SqlIdentifier.of(historyTable);
        this.payloads = payloads;
    }

    public QualityReport read(List<PipelineSpec> pipelines, List<LayerSpec> layers, Instant now, Duration window,
            Duration bucket) throws SQLException {
        Instant from = now.minus(window);
        List<QualityReport.DataSet> dataSets = new ArrayList<>();
        for (PipelineSpec spec : pipelines) {
            String deadLetters = spec.deadLetters().table();
            QualityReport.Tables tables = new QualityReport.Tables(
                    deadLetters == null ? List.of() : samples(deadLetters, spec.name(), spec.piiFieldNames()),
                    deadLetters == null ? Map.of() : rejectedFields(deadLetters, spec.name(), from),
                    latency(spec.sink(), spec.eventTimeField(), from), null);
            dataSets.add(QualityReport.dataSet(spec, historyRows(spec.name()), tables, now, window, bucket));
        }
        for (LayerSpec spec : layers) {
            String deadLetters = spec.deadLetterTable();
            Instant lastWritten = null;
            for (SinkSpec table : spec.tables()) {
                Instant last = lastWritten(table);
                lastWritten = last == null || (lastWritten != null && lastWritten.isAfter(last)) ? lastWritten : last;
            }
            QualityReport.Tables tables = new QualityReport.Tables(
                    deadLetters == null ? List.of() : samples(deadLetters, spec.name(), List.of()),
                    deadLetters == null ? Map.of() : rejectedFields(deadLetters, spec.name(), from), null, lastWritten);
            dataSets.add(QualityReport.layer(spec, historyRows(spec.name()), tables, now, window, bucket));
        }
        return new QualityReport(now, window, bucket, dataSets);
    }

    /** A table or column name quoted for this database. */
    private String quoted(SqlIdentifier name) {
        return database == Database.MARIADB ? name.quoted('`') : name.sql();
    }

    private QualityReport.HistoryRows historyRows(String pipeline) throws SQLException {
        List<QualityReport.HistoryRows.Row> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT measure, stage, rule, source_topic,"
                + " source_partition, records, recorded_at FROM " + quoted(history) + " WHERE pipeline = ?")) {
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

    /** The newest dead letters, a few per stage and rule, with what the payload policy lets the page show. */
    private List<QualityReport.Sample> samples(String deadLetters, String pipeline, List<String> piiFields)
            throws SQLException {
        Map<String, List<QualityReport.Sample>> byRule = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT stage, rule, field, reason, source_topic,"
                + " source_partition, source_offset, rejected_at, payload FROM " + quoted(SqlIdentifier.of(deadLetters))
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
                                PayloadPolicy.EMAIL.matcher(r.getString(4)).replaceAll("<email>"),
                                r.getString(5) + "-" + r.getInt(6) + "@" + r.getLong(7),
                                r.getTimestamp(8).toInstant(), payloads.shown(r.getBytes(9), piiFields, SAMPLE_CHARS)));
                    }
                }
            }
        } catch (SQLException e) {
            if (!tableMissing(e)) {
                throw e;
            }
        }
        List<QualityReport.Sample> out = new ArrayList<>();
        byRule.values().forEach(out::addAll);
        return out;
    }

    /** Which fields the rejects of the window name, with counts. */
    private Map<String, Long> rejectedFields(String deadLetters, String pipeline, Instant from) throws SQLException {
        Map<String, Long> fields = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT field, count(*) FROM "
                + quoted(SqlIdentifier.of(deadLetters)) + " WHERE pipeline = ? AND rejected_at >= ? AND field IS NOT NULL"
                + " GROUP BY field ORDER BY count(*) DESC")) {
            s.setString(1, pipeline);
            s.setTimestamp(2, Timestamp.from(from));
            s.setMaxRows(10);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    fields.put(r.getString(1), r.getLong(2));
                }
            }
        } catch (SQLException e) {
            if (!tableMissing(e)) {
                throw e;
            }
        }
        return fields;
    }

    private static String columnOf(SinkSpec sink, String field) {
        return field == null ? null
                : sink.columns().stream().filter(c -> c.field().equals(field)).map(SinkSpec.Column::name).findFirst()
                        .orElse(null);
    }

    /**
     * The median and 99th percentile of {@code $written_at − event time} over the sink rows written since
     * {@code from}; null when the table has no such two columns. An upserted row holds its latest version's.
     */
    private QualityReport.Latency latency(SinkSpec sink, String eventTimeField, Instant from) throws SQLException {
        String written = columnOf(sink, SinkSpec.WRITTEN_AT);
        String event = columnOf(sink, eventTimeField);
        if (written == null || event == null) {
            return null;
        }
        String w = quoted(SqlIdentifier.of(written));
        String e = quoted(SqlIdentifier.of(event));
        String sql = database == Database.MARIADB
                ? "SELECT count(*) OVER (), PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY d) OVER (),"
                        + " PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY d) OVER () FROM (SELECT TIMESTAMPDIFF("
                        + "MICROSECOND, " + e + ", " + w + ") / 1e6 AS d FROM " + quoted(sink.tableIdentifier())
                        + " WHERE " + w + " >= ?) x LIMIT 1"
                : "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.99) WITHIN"
                        + " GROUP (ORDER BY d) FROM (SELECT extract(epoch FROM (" + w + " - " + e + ")) AS d FROM "
                        + quoted(sink.tableIdentifier()) + " WHERE " + w + " >= ?) x";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(from));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || r.getLong(1) == 0) {
                    return new QualityReport.Latency(0, 0, 0);
                }
                return new QualityReport.Latency(r.getLong(1), r.getDouble(2), r.getDouble(3));
            }
        } catch (SQLException missingTable) {
            if (tableMissing(missingTable)) {
                return null;
            }
            throw missingTable;
        }
    }

    /** When a table's rows were last written ({@code $written_at}); null without such a column or rows. */
    private Instant lastWritten(SinkSpec sink) throws SQLException {
        String written = columnOf(sink, SinkSpec.WRITTEN_AT);
        if (written == null) {
            return null;
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT max(" + quoted(SqlIdentifier.of(written)) + ") FROM "
                + quoted(sink.tableIdentifier())); ResultSet r = s.executeQuery()) {
            Timestamp last = r.next() ? r.getTimestamp(1) : null;
            return last == null ? null : last.toInstant();
        } catch (SQLException e) {
            if (tableMissing(e)) {
                return null;
            }
            throw e;
        }
    }

    /** PostgreSQL's undefined_table, MariaDB's ER_NO_SUCH_TABLE: a data set that has not written yet. */
    private boolean tableMissing(SQLException e) {
        boolean missing = "42P01".equals(e.getSQLState()) || e.getErrorCode() == 1146;
        if (missing && database == Database.POSTGRESQL) {
            try {
                // the failed statement aborted the transaction, if there is one
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // the next statement will say what is wrong
            }
        }
        return missing;
    }
}
