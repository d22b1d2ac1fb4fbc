package dev.midstream.engine;

import dev.midstream.model.ConfigException;
import dev.midstream.model.Database;
import dev.midstream.model.JobSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.options.JdbcOptions;
import dev.midstream.options.JobOptions;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.QualityTable;
import dev.midstream.sink.RecordTable;
import dev.midstream.sink.TableMigration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts in place every table a job writes, and its dead-letter tables, once, at submission: creates the tables that do
 * not exist, adds the columns a file added to those that do ({@link TableMigration}), and refuses to start, naming the
 * column and the manual step, when a table cannot hold the file's columns as it is.
 */
public final class TableSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TableSetup.class);

    private TableSetup() {}

    /** The tables of {@code job} and, when it is on, the quality history's. */
    public static void createTables(JobOptions options, JobSpec job) throws SQLException {
        JdbcOptions jdbc = options.jdbc();
        Database database = jdbc.database();
        try (Connection connection = DriverManager.getConnection(jdbc.url(), jdbc.credentials())) {
            List<TableMigration> plans = plan(connection, database, job);
            List<String> refusals = plans.stream().flatMap(p -> p.refusals().stream()).toList();
            if (!refusals.isEmpty()) {
                throw new ConfigException(refusals);
            }
            for (TableMigration plan : plans) {
                for (String statement : plan.statements()) {
                    LOG.info("Table {}: {}", plan.table(), statement);
                    try (Statement alter = connection.createStatement()) {
                        alter.execute(statement);
                    }
                }
            }
            for (PipelineSpec spec : job.pipelines()) {
                RecordTable.of(spec.sink(), database).create(connection);
                if (spec.deadLetters().table() != null) {
                    DeadLetterTable.of(SqlIdentifier.of(spec.deadLetters().table()), database).create(connection);
                }
                LOG.info("Pipeline {}: tables {} and {} are in place ({})", spec.name(), spec.sink().table(),
                        spec.deadLetters().table(), database.displayName());
            }
            for (LayerSpec spec : job.layers()) {
                for (SinkSpec table : spec.tables()) {
                    RecordTable.of(table, database).create(connection);
                }
                DeadLetterTable.perStep(SqlIdentifier.of(spec.deadLetterTable()), database).create(connection);
                LOG.info("Transform {}: tables {} and {} are in place ({})", spec.name(),
                        spec.tables().stream().map(SinkSpec::table).toList(), spec.deadLetterTable(),
                        database.displayName());
            }
            String quality = options.tables().qualityTable();
            if (quality != null && !(job.pipelines().isEmpty() && job.layers().isEmpty())) {
                new QualityTable(SqlIdentifier.of(quality), database).create(connection);
                LOG.info("Quality history: table {} is in place", quality);
            }
        }
    }

    /** What every existing table of the job needs; tables that do not exist yet need nothing. */
    public static List<TableMigration> plan(JdbcOptions jdbc, JobSpec job) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbc.url(), jdbc.credentials())) {
            return plan(connection, jdbc.database(), job);
        }
    }

    private static List<TableMigration> plan(Connection connection, Database database, JobSpec job)
            throws SQLException {
        List<SinkSpec> sinks = new ArrayList<>();
        job.pipelines().forEach(p -> sinks.add(p.sink()));
        job.layers().forEach(l -> sinks.addAll(l.tables()));
        List<TableMigration> plans = new ArrayList<>();
        for (SinkSpec sink : sinks) {
            RecordTable table = RecordTable.of(sink, database);
            Map<String, String> existing = table.existingColumns(connection);
            plans.add(TableMigration.plan(table, existing));
        }
        return plans;
    }
}
