package dev.midstream.sink;

import dev.midstream.model.Database;
import dev.midstream.model.SinkSpec;
import dev.midstream.record.FieldNames;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.InstantText;
import dev.midstream.record.RecordJson;
import dev.midstream.udf.Record;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The table of a declarative pipeline in one database: created from the sink's columns, written one batch per
 * statement with each key once ({@link RecordBatcher}), with {@code upsert: newer} only where the stored row's
 * version is older, so replays and late re-sends never move a row backwards. A change stream's deletes flag the row
 * (soft: the row keeps its last values, and the delete's version, so a stale upsert cannot bring it back) or remove
 * it (hard: only where the stored version is older). Names are validated and quoted; values are bound, never spliced
 * in. {@link PostgresRecordTable} and {@link MariaDbRecordTable} write each database's SQL.
 */
public abstract class RecordTable implements Serializable {
    private static final long serialVersionUID = 1L;

    protected final SinkSpec sink;

    protected RecordTable(SinkSpec sink) {
        this.sink = sink;
    }

    public static RecordTable of(SinkSpec sink, Database database) {
        return database == Database.MARIADB ? new MariaDbRecordTable(sink) : new PostgresRecordTable(sink);
    }

    public SinkSpec sink() {
        return sink;
    }

    public abstract String createSql();

    /** The statement that writes one batch: upserts, and deletes when the sink has them. */
    public abstract String batchUpsertSql();

    /** Binds a batch for {@link #batchUpsertSql()} (and runs what a batch needs before it, a hard delete's). */
    public abstract JdbcStatementBuilder<List<FlowRecord>> batchStatementBuilder();

    /** The column's type in this database's DDL, as its catalog reports it ({@link #existingColumns}). */
    public abstract String ddlType(SinkSpec.Column column);

    /** {@code ALTER TABLE … ADD COLUMN} for a column the file added: nullable, as every non-key column is. */
    public abstract String addColumnSql(SinkSpec.Column column);

    /** The statement that gives an existing column the file's type: shown, never run, since it may lose data. */
    public abstract String changeTypeSql(SinkSpec.Column column);

    /** The table's columns and their types as {@link #ddlType} writes them, in table order; empty if there is none. */
    public abstract Map<String, String> existingColumns(Connection connection) throws SQLException;

    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql());
        }
    }

    /** Record-field columns: on a soft delete they keep their values. */
    protected boolean holdsRecordField(SinkSpec.Column column) {
        return !column.field().startsWith("$");
    }

    protected boolean inKey(SinkSpec.Column column) {
        return sink.primaryKey().contains(column.name());
    }

    /** The columns the batch binds, in column order: all but the one the database fills ({@code $written_at}). */
    protected List<SinkSpec.Column> boundColumns() {
        return sink.columns().stream().filter(c -> !c.field().equals(SinkSpec.WRITTEN_AT)).toList();
    }

    /** A field's value in PostgreSQL's input syntax (what the fit checks and batch keys read), or null. */
    static String text(Object value) {
        if (value instanceof String text) {
            return textWithoutNul(text);
        }
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Record || value instanceof List) {
            return RecordJson.write(value);
        }
        if (value instanceof Instant instant) {
            return InstantText.of(instant);
        }
        return textWithoutNul(value.toString());
    }

    /** PostgreSQL text cannot hold NUL; validation rejects it in input, a function could still make one. */
    private static String textWithoutNul(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /**
     * Reads one field of a record: a record field, or a {@link SinkSpec#PROVENANCE} field of where the record came
     * from. {@link #of} decides once per column which, not once per record.
     */
    @FunctionalInterface
    interface FieldReader extends Serializable {
        Object read(FlowRecord record);

        static FieldReader of(String field) {
            return switch (field) {
                case "$source_topic" -> record -> record.sourceTopic;
                case "$source_partition" -> record -> record.sourcePartition;
                case "$source_offset" -> record -> record.sourceOffset;
                case SinkSpec.POSITION -> FlowRecord::position;
                case SinkSpec.DELETED -> record -> record.deleted;
                default -> new DataField(field);
            };
        }
    }

    /** A field of the record's data, found by its interned name (see {@link FieldNames}), also after Java serialization. */
    private static final class DataField implements FieldReader {
        private static final long serialVersionUID = 1L;
        private final String name;

        DataField(String name) {
            this.name = FieldNames.canonical(name);
        }

        @Override
        public Object read(FlowRecord record) {
            return record.data.get(name);
        }

        private Object readResolve() {
            return new DataField(name);
        }
    }
}
