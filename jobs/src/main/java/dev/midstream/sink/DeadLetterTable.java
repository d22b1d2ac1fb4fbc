package dev.midstream.sink;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.model.SqlIdentifier;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZoneOffset;

/**
 * The PostgreSQL dead-letter table. Keyed by source position, one row per rejected source record, inserted
 * with {@code ON CONFLICT DO NOTHING} so replays after a restart never duplicate a dead letter.
 * The payload is kept as {@code bytea} because it may not be valid UTF-8; it may hold raw PII.
 */
public final class DeadLetterTable {
    private final SqlIdentifier table;
    private final boolean perStep;

    public DeadLetterTable(SqlIdentifier table) {
        this(table, false);
    }

    private DeadLetterTable(SqlIdentifier table, boolean perStep) {
        this.table = table;
        this.perStep = perStep;
    }

    /**
     * For the transform layer, where one record can miss several windows and its dimension: one dead letter per
     * record and step ({@code stage} as {@code late:<window>}, {@code enrich:<id>}) rather than per record.
     */
    public static DeadLetterTable perStep(SqlIdentifier table) {
        return new DeadLetterTable(table, true);
    }

    public String createSql() {
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
        return "INSERT INTO " + table.sql() + " (source_topic, source_partition, source_offset, pipeline, stage,"
                + " rule, field, reason, payload, payload_size, payload_truncated, rejected_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    }

    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql());
        }
    }

    public static JdbcStatementBuilder<DeadLetter> statementBuilder() {
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
            statement.setObject(12, letter.rejectedAt.atOffset(ZoneOffset.UTC));
        };
    }
}
