package dev.midstream.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.midstream.model.SinkSpec;
import dev.midstream.model.SqlIdentifier;
import dev.midstream.record.FlowRecord;
import dev.midstream.record.RecordJson;
import dev.midstream.udf.Record;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pipeline's table in MariaDB (and MySQL 8, which takes the same SQL): a batch is one
 * {@code INSERT … SELECT … FROM JSON_TABLE(?)} over one bound JSON array of rows, with
 * {@code ON DUPLICATE KEY UPDATE c = IF(version < VALUES(version), VALUES(c), c), …} and the version assigned last,
 * because assignments run left to right and each later one sees the updated values. {@code VALUES()} is the form both
 * accept (MySQL 8.0.20+ warns that it is deprecated; MariaDB has no row alias). Identifiers are backtick-quoted;
 * tables are InnoDB, {@code utf8mb4_bin} (keys compare as PostgreSQL's do, case-sensitively); timestamps are
 * {@code DATETIME(6)} in UTC; text in a key is {@code VARCHAR} (see {@link #keyTextLength}), other text
 * {@code LONGTEXT}. Hard deletes are a second statement, run first ({@code DELETE … JOIN JSON_TABLE(?)}).
 */
final class MariaDbRecordTable extends RecordTable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");
    private static final Pattern DISPLAY_WIDTH = Pattern.compile("^(bigint|int|smallint|mediumint)\\(\\d+\\)( unsigned)?$");
    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    /** InnoDB's index limit is 3,072 bytes; utf8mb4 takes up to 4 per character. */
    private static final int INDEX_BYTES = 3072;

    MariaDbRecordTable(SinkSpec sink) {
        super(sink);
    }

    /** The characters a text key column holds: 255, less when more than three text columns share the key. */
    static int keyTextLength(SinkSpec sink) {
        long textKeys = sink.primaryKey().stream().map(sink::column).filter(c -> c != null && c.sqlType().equals("text"))
                .count();
        return (int) Math.min(255, INDEX_BYTES / 4 / Math.max(1, textKeys));
    }

    private String table() {
        return sink.tableIdentifier().quoted('`');
    }

    private static String quoted(SinkSpec.Column column) {
        return SqlIdentifier.of(column.name()).quoted('`');
    }

    @Override
    public String ddlType(SinkSpec.Column column) {
        String type = column.sqlType();
        Matcher numeric = NUMERIC.matcher(type);
        if (numeric.matches()) {
            return "decimal(" + numeric.group(1) + "," + numeric.group(2) + ")";
        }
        return switch (type) {
            case "text" -> inKey(column) ? "varchar(" + keyTextLength(sink) + ")" : "longtext";
            case "integer" -> "int";
            case "boolean" -> "tinyint(1)";
            case "double precision" -> "double";
            case "timestamptz" -> "datetime(6)";
            case "jsonb", "json" -> "longtext";
            default -> type;
        };
    }

    @Override
    public String createSql() {
        String columns = sink.columns().stream()
                .map(c -> "  " + quoted(c) + " " + ddlType(c).toUpperCase(Locale.ROOT) + (inKey(c) ? " NOT NULL" : " NULL"))
                .collect(Collectors.joining(",\n"));
        return "CREATE TABLE IF NOT EXISTS " + table() + " (\n" + columns + ",\n  PRIMARY KEY (" + keyNames()
                + ")\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    @Override
    public String addColumnSql(SinkSpec.Column column) {
        return "ALTER TABLE " + table() + " ADD COLUMN " + quoted(column) + " " + ddlType(column).toUpperCase(Locale.ROOT)
                + " NULL";
    }

    @Override
    public String changeTypeSql(SinkSpec.Column column) {
        return "ALTER TABLE " + table() + " MODIFY COLUMN " + quoted(column) + " " + ddlType(column).toUpperCase(Locale.ROOT)
                + (inKey(column) ? " NOT NULL" : " NULL");
    }

    @Override
    public Map<String, String> existingColumns(Connection connection) throws SQLException {
        SqlIdentifier table = sink.tableIdentifier();
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE FROM"
                + " information_schema.COLUMNS WHERE TABLE_SCHEMA = coalesce(?, DATABASE()) AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION")) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(2).toLowerCase(Locale.ROOT);
                    Matcher width = DISPLAY_WIDTH.matcher(type);
                    columns.put(rows.getString(1), width.matches() ? width.group(1)
                            + (width.group(2) == null ? "" : width.group(2)) : type);
                }
            }
        }
        return columns;
    }

    /** JSON_TABLE columns: every bound value as text, cast in the SELECT as PostgreSQL's text arrays are. */
    private String rows() {
        List<SinkSpec.Column> bound = boundColumns();
        StringBuilder columns = new StringBuilder();
        for (int i = 0; i < bound.size(); i++) {
            columns.append(i == 0 ? "" : ", ").append("c").append(i).append(" LONGTEXT PATH '$[").append(i).append("]'");
        }
        columns.append(", d INT PATH '$[").append(bound.size()).append("]'");
        return "JSON_TABLE(?, '$[*]' COLUMNS (" + columns + ")) AS u";
    }

    private String value(SinkSpec.Column column) {
        if (column.field().equals(SinkSpec.WRITTEN_AT)) {
            return "UTC_TIMESTAMP(6)";
        }
        String text = "u.c" + boundColumns().indexOf(column);
        String type = ddlType(column);
        if (type.startsWith("varchar") || type.equals("longtext")) {
            return text;
        }
        return switch (type) {
            case "bigint", "int", "tinyint(1)" -> "CAST(" + text + " AS SIGNED)";
            case "double" -> "CAST(" + text + " AS DOUBLE)";
            default -> "CAST(" + text + " AS " + type.toUpperCase(Locale.ROOT) + ")";
        };
    }

    @Override
    public String batchUpsertSql() {
        String names = sink.columns().stream().map(MariaDbRecordTable::quoted).collect(Collectors.joining(", "));
        String select = sink.columns().stream().map(this::value).collect(Collectors.joining(", "));
        String where = sink.deletes() == SinkSpec.Deletes.HARD ? " WHERE u.d = 0" : "";
        return "INSERT INTO " + table() + " (" + names + ") SELECT " + select + " FROM " + rows() + where
                + " ON DUPLICATE KEY UPDATE " + assignments();
    }

    /**
     * Every non-key column, each testing the stored version before any assignment changed it, so the version column
     * comes last; a soft delete keeps the record-field columns. With every column in the key: a no-op assignment.
     */
    private String assignments() {
        String table = table();
        List<SinkSpec.Column> updated = sink.columns().stream().filter(c -> !inKey(c)).toList();
        if (updated.isEmpty()) {
            String key = table + "." + quoted(sink.column(sink.primaryKey().get(0)));
            return key + " = " + key;
        }
        SinkSpec.Column version = sink.upsert() == SinkSpec.Upsert.NEWER ? sink.column(sink.versionColumn()) : null;
        SinkSpec.Column deleted = sink.deletes() == SinkSpec.Deletes.SOFT ? sink.columnOf(SinkSpec.DELETED) : null;
        String newer = version == null ? null
                : table + "." + quoted(version) + " < VALUES(" + quoted(version) + ")";
        List<SinkSpec.Column> ordered = new java.util.ArrayList<>(updated);
        if (version != null) {
            ordered.remove(version);
            ordered.add(version);
        }
        return ordered.stream().map(c -> {
            String stored = table + "." + quoted(c);
            String incoming = "VALUES(" + quoted(c) + ")";
            if (deleted != null && holdsRecordField(c)) {
                incoming = "IF(VALUES(" + quoted(deleted) + "), " + stored + ", " + incoming + ")";
            }
            return stored + " = " + (newer == null ? incoming : "IF(" + newer + ", " + incoming + ", " + stored + ")");
        }).collect(Collectors.joining(", "));
    }

    /** The hard delete of a batch's deletes, where the stored version is older. */
    String deleteSql() {
        String table = table();
        String matches = sink.primaryKey().stream().map(sink::column)
                .map(c -> table + "." + quoted(c) + " = " + value(c)).collect(Collectors.joining(" AND "));
        if (sink.upsert() == SinkSpec.Upsert.NEWER) {
            SinkSpec.Column version = sink.column(sink.versionColumn());
            matches += " AND " + table + "." + quoted(version) + " < " + value(version);
        }
        return "DELETE " + table + " FROM " + table + " JOIN " + rows() + " ON " + matches + " WHERE u.d = 1";
    }

    @Override
    public JdbcStatementBuilder<List<FlowRecord>> batchStatementBuilder() {
        List<FieldReader> fields = boundColumns().stream().map(c -> FieldReader.of(c.field())).toList();
        boolean hard = sink.deletes() == SinkSpec.Deletes.HARD;
        String deleteSql = hard ? deleteSql() : null;
        return (statement, batch) -> {
            String rows = json(batch, fields);
            if (hard && batch.stream().anyMatch(r -> r.deleted)) {
                try (PreparedStatement delete = statement.getConnection().prepareStatement(deleteSql)) {
                    delete.setString(1, rows);
                    delete.executeUpdate();
                }
            }
            statement.setString(1, rows);
        };
    }

    /** The batch as a JSON array of rows, each an array of the bound columns' texts and the delete flag. */
    static String json(List<FlowRecord> batch, List<FieldReader> fields) {
        StringWriter out = new StringWriter(batch.size() * 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (FlowRecord record : batch) {
                json.writeStartArray();
                for (FieldReader field : fields) {
                    String text = mariaDbText(field.read(record));
                    if (text == null) {
                        json.writeNull();
                    } else {
                        json.writeString(text);
                    }
                }
                json.writeNumber(record.deleted ? 1 : 0);
                json.writeEndArray();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A field's value in MariaDB's input syntax: timestamps in UTC without an offset, booleans as 1 or 0. */
    static String mariaDbText(Object value) {
        if (value instanceof String text) {
            return text; // the common case first, before the type checks and a call of toString on any type
        }
        if (value == null) {
            return null;
        }
        if (value instanceof Instant at) {
            return DATETIME.format(at);
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Record || value instanceof List) {
            return RecordJson.write(value);
        }
        return value.toString();
    }

    private String keyNames() {
        return sink.primaryKey().stream().map(n -> SqlIdentifier.of(n).quoted('`')).collect(Collectors.joining(", "));
    }
}
