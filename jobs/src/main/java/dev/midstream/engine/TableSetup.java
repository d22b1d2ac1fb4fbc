package dev.midstream.engine;

import dev.midstream.model.JobSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.options.JdbcOptions;
import dev.midstream.sink.DeadLetterTable;
import dev.midstream.sink.RecordTable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Creates every table a job writes, and its dead-letter tables, if they do not exist. Runs once, at submission. */
public final class TableSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TableSetup.class);

    private TableSetup() {}

    public static void createTables(JdbcOptions jdbc, JobSpec job) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbc.url(), jdbc.credentials())) {
            for (PipelineSpec spec : job.pipelines()) {
                new RecordTable(spec.sink()).create(connection);
                if (spec.deadLetters().table() != null) {
                    new DeadLetterTable(SqlIdentifier.of(spec.deadLetters().table())).create(connection);
                }
                LOG.info("Pipeline {}: tables {} and {} are in place", spec.name(), spec.sink().table(),
                        spec.deadLetters().table());
            }
            for (LayerSpec spec : job.layers()) {
                for (SinkSpec table : spec.tables()) {
                    new RecordTable(table).create(connection);
                }
                DeadLetterTable.perStep(SqlIdentifier.of(spec.deadLetterTable())).create(connection);
                LOG.info("Transform {}: tables {} and {} are in place", spec.name(),
                        spec.tables().stream().map(SinkSpec::table).toList(), spec.deadLetterTable());
            }
        }
    }
}
