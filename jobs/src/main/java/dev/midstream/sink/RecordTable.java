package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.RecordJson;
import dev.midstream.udf.Record;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The table of a declarative pipeline: created from the sink's columns, written with
 * {@code INSERT … ON CONFLICT (primary key) DO UPDATE}, and with {@code upsert: newer} only where the stored
 * row's version is older, so replays and late re-sends never move a row backwards. Names are validated and
 * quoted; values are bound as text and cast to the column type in SQL, never spliced in.
 */
public final class RecordTable {
    private final SinkSpec sink;

    public RecordTable(SinkSpec sink) {
        this.sink = sink;
    }

    public String createSql() {
        String columns = sink.columns().stream()
                .map(c -> "  " + c.quoted() + " " + c.sqlType() + (sink.primaryKey().contains(c.name()) ? " NOT NULL" : ""))
                .collect(Collectors.joining(",\n"));
        return "CREATE TABLE IF NOT EXISTS " + sink.tableIdentifier().sql() + " (\n" + columns + ",\n  PRIMARY KEY ("
                + quotedNames(sink.primaryKey()) + ")\n)";
    }

    /**
     * What a row whose key exists does: nothing when every column is in the key; otherwise the row is replaced, with
     * {@code upsert: newer} only by a row whose version column is greater.
     */
    private String conflictClause() {
        List<SinkSpec.Column> updated = sink.columns().stream().filter(c -> !sink.primaryKey().contains(c.name())).toList();
        String conflict = " ON CONFLICT (" + quotedNames(sink.primaryKey()) + ") ";
        if (updated.isEmpty()) {
            return conflict + "DO NOTHING";
        }
        String set = updated.stream().map(c -> c.quoted() + " = EXCLUDED." + c.quoted()).collect(Collectors.joining(", "));
        String clause = conflict + "DO UPDATE SET " + set;
        if (sink.upsert() == SinkSpec.Upsert.NEWER) {
            String version = SqlIdentifier.of(sink.versionColumn()).sql();
            clause += " WHERE current." + version + " < EXCLUDED." + version;
        }
        return clause;
    }

    /**
     * The upsert of a whole batch in one statement: every bound column as a text array, unnested and cast, so one
     * round trip and one plan carry a batch whatever its size. The batch must hold each key once
     * ({@link RecordBatcher}).
     */
    public String batchUpsertSql() {
        List<SinkSpec.Column> columns = sink.columns();
        List<SinkSpec.Column> bound = columns.stream().filter(c -> !c.field().equals(SinkSpec.WRITTEN_AT)).toList();
        String names = columns.stream().map(SinkSpec.Column::quoted).collect(Collectors.joining(", "));
        StringBuilder select = new StringBuilder();
        int n = 0;
        for (SinkSpec.Column c : columns) {
            select.append(select.length() == 0 ? "" : ", ");
            select.append(c.field().equals(SinkSpec.WRITTEN_AT) ? "now()" : "CAST(u.c" + (n++) + " AS " + c.sqlType() + ")");
        }
        String arrays = bound.stream().map(c -> "?::text[]").collect(Collectors.joining(", "));
        String aliases = java.util.stream.IntStream.range(0, bound.size()).mapToObj(i -> "c" + i)
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + sink.tableIdentifier().sql() + " AS current (" + names + ") SELECT " + select
                + " FROM unnest(" + arrays + ") AS u(" + aliases + ")" + conflictClause();
    }

    /** Binds a batch for {@link #batchUpsertSql()}: one text array per bound column. */
    public JdbcStatementBuilder<List<FlowRecord>> batchStatementBuilder() {
        List<String> fields = sink.columns().stream().map(SinkSpec.Column::field)
                .filter(f -> !f.equals(SinkSpec.WRITTEN_AT)).toList();
        return (statement, batch) -> {
            Connection connection = statement.getConnection();
            for (int i = 0; i < fields.size(); i++) {
                String[] values = new String[batch.size()];
                for (int r = 0; r < values.length; r++) {
                    values[r] = text(batch.get(r), fields.get(i));
                }
                statement.setArray(i + 1, connection.createArrayOf("text", values));
            }
        };
    }

    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql());
        }
    }

    /** A field's value in PostgreSQL's input syntax, or null. */
    static String text(FlowRecord record, String field) {
        switch (field) {
            case "$source_topic":
                return record.sourceTopic;
            case "$source_partition":
                return Integer.toString(record.sourcePartition);
            case "$source_offset":
                return Long.toString(record.sourceOffset);
            default:
                break;
        }
        Object value = record.data.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Record || value instanceof List) {
            return RecordJson.write(value);
        }
        // PostgreSQL text cannot hold NUL; validation rejects it in input, a function could still make one.
        return value.toString().replace('\u0000', '\uFFFD');
    }

    private static String quotedNames(List<String> names) {
        return names.stream().map(n -> SqlIdentifier.of(n).sql()).collect(Collectors.joining(", "));
    }
}
