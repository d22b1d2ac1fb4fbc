package dev.midstream.sink;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.model.Database;
import dev.midstream.model.SqlIdentifier;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A dead-letter table. Keyed by source position, one row per rejected source record, inserted so that a replay
 * after a restart never duplicates a dead letter (PostgreSQL {@code ON CONFLICT DO NOTHING}, MariaDB a no-op
 * {@code ON DUPLICATE KEY UPDATE}, which unlike {@code INSERT IGNORE} still fails on anything but a duplicate).
 * The payload is kept as bytes because it may not be valid UTF-8; it may hold raw PII.
 */
public final class DeadLetterTable {
    private final SqlIdentifier table;
    private final boolean perStep;
    private final Database database;

    private DeadLetterTable(SqlIdentifier table, boolean perStep, Database database) {
        this.table = table;
        this.perStep = perStep;
        this.database = database;
    }

    public static DeadLetterTable of(SqlIdentifier table, Database database) {
        return new DeadLetterTable(table, false, database);
    }

    /**
     * For the transform layer, where one record can miss several windows and its dimension: one dead letter per
     * record and step ({@code stage} as {@code late:<window>}, {@code enrich:<id>}) rather than per record.
     */
    public static DeadLetterTable perStep(SqlIdentifier table, Database database) {
        return new DeadLetterTable(table, true, database);
    }

    public String createSql() {
        if (database == Database.MARIADB) {
            return "CREATE TABLE IF NOT EXISTS " + table.quoted('`') + " (\n"
                    + "  source_topic      VARCHAR(249) NOT NULL,\n"
                    + "  source_partition  INT NOT NULL,\n"
                    + "  source_offset     BIGINT NOT NULL,\n"
                    + "  pipeline          VARCHAR(255) NOT NULL,\n"
                    + "  stage             VARCHAR(255) NOT NULL,\n"
                    + "  rule              VARCHAR(255) NOT NULL,\n"
                    + "  field             VARCHAR(255) NULL,\n"
                    + "  reason            LONGTEXT NOT NULL,\n"
                    + "  payload           LONGBLOB NULL,\n"
                    + "  payload_size      INT NOT NULL,\n"
                    + "  payload_truncated BOOLEAN NOT NULL,\n"
                    + "  rejected_at       DATETIME(6) NOT NULL,\n"
                    + "  PRIMARY KEY (source_topic, source_partition, source_offset" + (perStep ? ", stage" : "") + ")\n"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
        }
        return "CREATE TABLE IF NOT EXISTS " + table.sql() + " (\n"
                + "  source_topic      text NOT NULL,\n"
                + "  source_partition  integer NOT NULL,\n"
                + "  source_offset     bigint NOT NULL,\n"
                + "  pipeline          text NOT NULL,\n"
                + "  stage             text NOT NULL,\n"
                + "  rule              text NOT NULL,\n"
                + "  field             text,\n"
                + "  reason            text NOT NULL,\n"
                + "  payload           bytea,\n"
                + "  payload_size      integer NOT NULL,\n"
                + "  payload_truncated boolean NOT NULL,\n"
                + "  rejected_at       timestamptz NOT NULL,\n"
                + "  PRIMARY KEY (source_topic, source_partition, source_offset" + (perStep ? ", stage" : "") + ")\n"
                + ")";
    }

    public String insertSql() {
        String columns = " (source_topic, source_partition, source_offset, pipeline, stage,"
                + " rule, field, reason, payload, payload_size, payload_truncated, rejected_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return database == Database.MARIADB
                ? "INSERT INTO " + table.quoted('`') + columns + " ON DUPLICATE KEY UPDATE source_offset = source_offset"
                : "INSERT INTO " + table.sql() + columns + " ON CONFLICT DO NOTHING";
    }

    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql());
        }
    }

    public JdbcStatementBuilder<DeadLetter> statementBuilder() {
        boolean utcDateTime = database == Database.MARIADB;
        return (statement, letter) -> {
            statement.setString(1, letter.sourceTopic);
            statement.setInt(2, letter.sourcePartition);
            statement.setLong(3, letter.sourceOffset);
            statement.setString(4, letter.pipeline);
            statement.setString(5, letter.stageLabel());
            statement.setString(6, letter.rule);
            if (letter.field == null) {
                statement.setNull(7, Types.VARCHAR);
            } else {
                statement.setString(7, letter.field);
            }
            // PostgreSQL text cannot hold NUL; a reason never needs one.
            statement.setString(8, letter.reason.replace('\u0000', '\uFFFD'));
            statement.setBytes(9, letter.payload);
            statement.setInt(10, letter.payloadSize);
            statement.setBoolean(11, letter.payloadTruncated);
            if (utcDateTime) {
                statement.setObject(12, LocalDateTime.ofInstant(letter.rejectedAt, ZoneOffset.UTC));
            } else {
                statement.setObject(12, letter.rejectedAt.atOffset(ZoneOffset.UTC));
            }
        };
    }
}
