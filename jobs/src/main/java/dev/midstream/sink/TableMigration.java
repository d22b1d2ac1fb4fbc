package dev.midstream.sink;

import dev.midstream.model.SinkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an existing table needs to hold a sink's columns: a column the file added is added, nullable
 * ({@code ALTER TABLE … ADD COLUMN}); a column the table has and the file does not (dropped or renamed), a column
 * whose type differs, and a key column the table lacks are refused, each naming the column and the manual step,
 * because changing them in place could lose data or break readers.
 */
public record TableMigration(String table, List<String> added, List<String> statements, List<String> refusals) {

    /** The plan for {@code table} given its {@code existing} columns; no migration for a table that does not exist. */
    public static TableMigration plan(RecordTable table, Map<String, String> existing) {
        SinkSpec sink = table.sink();
        List<String> added = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        if (existing.isEmpty()) {
            return new TableMigration(sink.table(), added, statements, refusals);
        }
        Set<String> declared = new java.util.HashSet<>();
        List<String> extra = new ArrayList<>(existing.keySet());
        for (SinkSpec.Column column : sink.columns()) {
            declared.add(column.name());
            extra.remove(column.name());
            String stored = existing.get(column.name());
            String wanted = table.ddlType(column);
            if (stored == null) {
                if (sink.primaryKey().contains(column.name())) {
                    refusals.add(sink.table() + "." + column.name() + ": is in the file's primary key but not in the"
                            + " table; a key cannot change in place: write to a new table, or change the key by hand");
                } else {
                    added.add(column.name());
                    statements.add(table.addColumnSql(column));
                }
            } else if (!canonical(stored).equals(canonical(wanted))) {
                refusals.add(sink.table() + "." + column.name() + ": is " + stored + " in the table, the file says "
                        + wanted + "; change the column by hand (" + table.changeTypeSql(column) + ") or give the column the table's type ({field: " + column.field()
                        + ", type: " + stored + "})");
            }
        }
        for (String column : extra) {
            String renamed = added.size() == 1 && extra.size() == 1 ? added.get(0) : null;
            refusals.add(sink.table() + "." + column + ": is in the table but not in the file's sink.columns ("
                    + (renamed != null ? "renamed to " + renamed + "?" : "dropped or renamed?") + "); map it again, or "
                    + (renamed != null ? "rename it by hand: ALTER TABLE " + sink.table() + " RENAME COLUMN " + column
                            + " TO " + renamed
                            : "drop it by hand: ALTER TABLE " + sink.table() + " DROP COLUMN " + column));
        }
        return new TableMigration(sink.table(), List.copyOf(added), List.copyOf(statements), List.copyOf(refusals));
    }

    public boolean changes() {
        return !statements.isEmpty();
    }

    /** A type as one spelling: lower case, no spaces inside parentheses, PostgreSQL's and MariaDB's aliases. */
    static String canonical(String type) {
        String t = type.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ").replaceAll("\\s*([(),])\\s*", "$1");
        t = t.replaceFirst("^decimal\\(", "numeric(").replaceFirst("^character varying", "varchar");
        return switch (t) {
            case "int", "int4" -> "integer";
            case "int8" -> "bigint";
            case "bool" -> "boolean";
            case "float8", "double" -> "double precision";
            case "timestamp with time zone" -> "timestamptz";
            case "timestamp without time zone" -> "timestamp";
            default -> t;
        };
    }
}
