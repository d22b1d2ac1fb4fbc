package dev.midstream.sink;

import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.record.FlowRecord;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A pipeline's table in PostgreSQL: a batch is one {@code INSERT … SELECT … FROM unnest(text arrays)} with
 * {@code ON CONFLICT (primary key) DO UPDATE}, one round trip and one plan whatever its size; values are bound as
 * text and cast to the column type. {@link PostgresBatchCopy} runs the same upsert over a staging table it fills by
 * {@code COPY} ({@link #mergeSql()}). With hard deletes the same statement deletes first, in a data-modifying
 * {@code WITH}: the batch holds each key once, so the delete and the upsert never touch the same row.
 */
final class PostgresRecordTable extends RecordTable {
    private static final long serialVersionUID = 1L;
    static final String STAGING_TABLE = "pg_temp.midstream_batch";

    PostgresRecordTable(SinkSpec sink) {
        super(sink);
    }

    @Override
    public String createSql() {
        String columns = sink.columns().stream()
                .map(c -> "  " + c.quoted() + " " + c.sqlType() + (inKey(c) ? " NOT NULL" : ""))
                .collect(Collectors.joining(",\n"));
        return "CREATE TABLE IF NOT EXISTS " + sink.tableIdentifier().sql() + " (\n" + columns + ",\n  PRIMARY KEY ("
                + quotedNames(sink.primaryKey()) + ")\n)";
    }

    @Override
    public String ddlType(SinkSpec.Column column) {
        return column.sqlType();
    }

    @Override
    public String addColumnSql(SinkSpec.Column column) {
        return "ALTER TABLE " + sink.tableIdentifier().sql() + " ADD COLUMN " + column.quoted() + " " + column.sqlType();
    }

    @Override
    public String changeTypeSql(SinkSpec.Column column) {
        return "ALTER TABLE " + sink.tableIdentifier().sql() + " ALTER COLUMN " + column.quoted() + " TYPE "
                + column.sqlType();
    }

    @Override
    public Map<String, String> existingColumns(Connection connection) throws SQLException {
        SqlIdentifier table = sink.tableIdentifier();
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT column_name, data_type,"
                + " character_maximum_length, numeric_precision, numeric_scale FROM information_schema.columns"
                + " WHERE table_schema = coalesce(?, current_schema()) AND table_name = ? ORDER BY ordinal_position")) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), type(rows.getString(2), rows.getObject(3), rows.getObject(4),
                            rows.getObject(5)));
                }
            }
        }
        return columns;
    }

    /** The catalog's type in the words a pipeline file uses. */
    private static String type(String dataType, Object length, Object precision, Object scale) {
        return switch (dataType) {
            case "timestamp with time zone" -> "timestamptz";
            case "numeric" -> precision == null ? "numeric" : "numeric(" + precision + "," + scale + ")";
            case "character varying" -> length == null ? "varchar" : "varchar(" + length + ")";
            default -> dataType;
        };
    }

    /**
     * What a row whose key exists does: nothing when every column is in the key; otherwise the row is replaced, with
     * {@code upsert: newer} only by a row whose version column is greater. A soft delete replaces only the columns
     * that are not record fields: the flag, the version and where it came from.
     */
    private String conflictClause() {
        List<SinkSpec.Column> updated = sink.columns().stream().filter(c -> !inKey(c)).toList();
        String conflict = " ON CONFLICT (" + quotedNames(sink.primaryKey()) + ") ";
        if (updated.isEmpty()) {
            return conflict + "DO NOTHING";
        }
        SinkSpec.Column deleted = sink.deletes() == SinkSpec.Deletes.SOFT ? sink.columnOf(SinkSpec.DELETED) : null;
        String set = updated.stream().map(c -> c.quoted() + " = " + (deleted != null && holdsRecordField(c)
                ? "CASE WHEN EXCLUDED." + deleted.quoted() + " THEN current." + c.quoted() + " ELSE EXCLUDED."
                        + c.quoted() + " END"
                : "EXCLUDED." + c.quoted())).collect(Collectors.joining(", "));
        String clause = conflict + "DO UPDATE SET " + set;
        if (sink.upsert() == SinkSpec.Upsert.NEWER) {
            String version = SqlIdentifier.of(sink.versionColumn()).sql();
            clause += " WHERE current." + version + " < EXCLUDED." + version;
        }
        return clause;
    }

    /**
     * Every bound column as a text array, unnested and cast; with hard deletes one more array says which rows are
     * deletes ({@code u.d}), deleted first where the stored version is older, the rest upserted.
     */
    @Override
    public String batchUpsertSql() {
        boolean hard = sink.deletes() == SinkSpec.Deletes.HARD;
        String arrays = IntStream.range(0, boundColumns().size() + (hard ? 1 : 0)).mapToObj(i -> "?::text[]")
                .collect(Collectors.joining(", "));
        return upsertSql("unnest(" + arrays + ") AS u(" + String.join(", ", stagingColumns()) + ")");
    }

    /** The same upsert as {@link #batchUpsertSql()}, reading the batch from {@link #stagingTableSql()}'s table. */
    String mergeSql() {
        return upsertSql(STAGING_TABLE + " AS u");
    }

    /**
     * A session's own table for one batch, all text like the arrays (so the casts, and what they accept, are the
     * statement's); its rows go at commit without a catalog change, so the batch's commit is its only WAL flush.
     */
    String stagingTableSql() {
        return "CREATE TEMPORARY TABLE " + STAGING_TABLE + " (" + stagingColumns().stream()
                .map(c -> c + " text").collect(Collectors.joining(", ")) + ") ON COMMIT DELETE ROWS";
    }

    /** {@code c0 … cn} for the bound columns, then {@code d} (which rows are deletes) with hard deletes. */
    List<String> stagingColumns() {
        List<String> names = new ArrayList<>();
        IntStream.range(0, boundColumns().size()).forEach(i -> names.add("c" + i));
        if (sink.deletes() == SinkSpec.Deletes.HARD) {
            names.add("d");
        }
        return names;
    }

    /** Upserts (and with hard deletes deletes) the rows of {@code rows}, a FROM item named u with the staging columns. */
    private String upsertSql(String rows) {
        List<SinkSpec.Column> columns = sink.columns();
        List<SinkSpec.Column> bound = boundColumns();
        boolean hard = sink.deletes() == SinkSpec.Deletes.HARD;
        String names = columns.stream().map(SinkSpec.Column::quoted).collect(Collectors.joining(", "));
        StringBuilder select = new StringBuilder();
        for (SinkSpec.Column c : columns) {
            select.append(select.length() == 0 ? "" : ", ");
            select.append(c.field().equals(SinkSpec.WRITTEN_AT) ? "now()" : cast(c, bound.indexOf(c)));
        }
        String table = sink.tableIdentifier().sql();
        if (!hard) {
            return "INSERT INTO " + table + " AS current (" + names + ") SELECT " + select + " FROM " + rows
                    + conflictClause();
        }
        String matches = sink.primaryKey().stream().map(sink::column)
                .map(c -> "current." + c.quoted() + " = " + cast(c, bound.indexOf(c))).collect(Collectors.joining(" AND "));
        if (sink.upsert() == SinkSpec.Upsert.NEWER) {
            SinkSpec.Column version = sink.column(sink.versionColumn());
            matches += " AND current." + version.quoted() + " < " + cast(version, bound.indexOf(version));
        }
        return "WITH u AS (SELECT * FROM " + rows + "), deleted AS (DELETE FROM "
                + table + " AS current USING u WHERE u.d = 'true' AND " + matches + ") INSERT INTO " + table
                + " AS current (" + names + ") SELECT " + select + " FROM u WHERE u.d = 'false'" + conflictClause();
    }

    private static String cast(SinkSpec.Column column, int index) {
        return "CAST(u.c" + index + " AS " + column.sqlType() + ")";
    }

    @Override
    public JdbcStatementBuilder<List<FlowRecord>> batchStatementBuilder() {
        List<FieldReader> fields = boundColumns().stream().map(c -> FieldReader.of(c.field())).toList();
        boolean hard = sink.deletes() == SinkSpec.Deletes.HARD;
        return (statement, batch) -> {
            Connection connection = statement.getConnection();
            String[][] columns = columnArrays(batch, fields);
            for (int i = 0; i < columns.length; i++) {
                statement.setArray(i + 1, connection.createArrayOf("text", columns[i]));
            }
            if (hard) {
                String[] deletes = new String[batch.size()];
                for (int r = 0; r < deletes.length; r++) {
                    deletes[r] = Boolean.toString(batch.get(r).deleted);
                }
                statement.setArray(fields.size() + 1, connection.createArrayOf("text", deletes));
            }
        };
    }

    /**
     * The batch as one text array per field. Filled record by record: each record's fields are read while it is in
     * the CPU's cache, instead of walking the whole batch once per column.
     */
    static String[][] columnArrays(List<FlowRecord> batch, List<FieldReader> fields) {
        String[][] columns = new String[fields.size()][batch.size()];
        for (int r = 0; r < batch.size(); r++) {
            FlowRecord record = batch.get(r);
            for (int i = 0; i < columns.length; i++) {
                columns[i][r] = text(fields.get(i).read(record));
            }
        }
        return columns;
    }

    private static String quotedNames(List<String> names) {
        return names.stream().map(n -> SqlIdentifier.of(n).sql()).collect(Collectors.joining(", "));
    }
}
