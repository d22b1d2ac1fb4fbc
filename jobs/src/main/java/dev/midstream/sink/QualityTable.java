package dev.midstream.sink;

import dev.midstream.model.Database;
import dev.midstream.model.SqlIdentifier;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The quality history table ({@code dq_counts} by default) in PostgreSQL or MariaDB/MySQL: one row per run,
 * checkpoint, pipeline, measure, stage, rule and source partition, holding how many records reached that outcome
 * since the previous row. Rows are written once per completed checkpoint and never changed, so the sum over any
 * rows is exact and per-minute or per-hour numbers are a {@code GROUP BY} on {@code recorded_at}. A re-write after
 * a restore is ignored by the primary key.
 */
public final class QualityTable implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String COLUMNS = "(run_id, checkpoint_id, pipeline, measure, stage, rule, source_topic,"
            + " source_partition, records, recorded_at)";

    private final SqlIdentifier table;
    private final Database database;

    public QualityTable(SqlIdentifier table, Database database) {
        this.table = table;
        this.database = database;
    }

    public String createSql() {
        String key = "  PRIMARY KEY (run_id, checkpoint_id, pipeline, measure, stage, rule, source_topic,"
                + " source_partition)\n";
        if (database == Database.MARIADB) {
            return "CREATE TABLE IF NOT EXISTS " + table.quoted('`') + " (\n"
                    + "  run_id           VARCHAR(36) NOT NULL,\n"
                    + "  checkpoint_id    BIGINT NOT NULL,\n"
                    // InnoDB keys hold at most 3072 bytes (4 per utf8mb4 character): the key columns are sized to fit.
                    + "  pipeline         VARCHAR(128) NOT NULL,\n"
                    + "  measure          VARCHAR(16) NOT NULL,\n"
                    + "  stage            VARCHAR(128) NOT NULL,\n"
                    + "  rule             VARCHAR(128) NOT NULL,\n"
                    + "  source_topic     VARCHAR(249) NOT NULL,\n"
                    + "  source_partition INT NOT NULL,\n"
                    + "  records          BIGINT NOT NULL,\n"
                    + "  recorded_at      DATETIME(6) NOT NULL,\n"
                    + key
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
        }
        return "CREATE TABLE IF NOT EXISTS " + table.sql() + " (\n"
                + "  run_id           text NOT NULL,\n"
                + "  checkpoint_id    bigint NOT NULL,\n"
                + "  pipeline         text NOT NULL,\n"
                + "  measure          text NOT NULL,\n"
                + "  stage            text NOT NULL,\n"
                + "  rule             text NOT NULL,\n"
                + "  source_topic     text NOT NULL,\n"
                + "  source_partition integer NOT NULL,\n"
                + "  records          bigint NOT NULL,\n"
                + "  recorded_at      timestamptz NOT NULL,\n"
                + key
                + ")";
    }

    public String insertSql() {
        String values = " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return database == Database.MARIADB
                ? "INSERT IGNORE INTO " + table.quoted('`') + " " + COLUMNS + values
                : "INSERT INTO " + table.sql() + " " + COLUMNS + values + " ON CONFLICT DO NOTHING";
    }

    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql());
        }
    }

    public String name() {
        return table.toString();
    }
}
