package dev.midstream.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Where clean records go: a table upserted by {@code primaryKey} (columns mapped from field paths, types from the
 * schema unless given) and, optionally, a Kafka topic of clean records as JSON, written exactly once.
 * With {@code upsert: newer} a row is only replaced by one whose {@code versionColumn} is greater. A change stream's
 * deletes either flag the row ({@link Deletes#SOFT}, in the column mapped from {@code $deleted}) or remove it
 * ({@link Deletes#HARD}); other pipelines have none.
 */
public record SinkSpec(String table, List<String> primaryKey, List<Column> columns, Upsert upsert,
        String versionColumn, String topic, Deletes deletes) implements Serializable {

    public enum Upsert { ALWAYS, NEWER }

    public enum Deletes { NONE, SOFT, HARD }

    /** A table with no deletes: what plain JSON pipelines and the transform layer write. */
    public SinkSpec(String table, List<String> primaryKey, List<Column> columns, Upsert upsert, String versionColumn,
            String topic) {
        this(table, primaryKey, columns, upsert, versionColumn, topic, Deletes.NONE);
    }

    /**
     * Columns that are not record fields: where a row came from ({@code $source_topic}, {@code $source_partition},
     * {@code $source_offset}), when the database wrote it ({@code $written_at}, the transaction's time), and for
     * change streams the change's log position ({@code $position}) and whether it deleted the row ({@code $deleted}).
     */
    public static final Map<String, String> PROVENANCE = Map.of(
            "$source_topic", "text", "$source_partition", "integer", "$source_offset", "bigint",
            "$written_at", "timestamptz", "$position", "numeric(38,0)", "$deleted", "boolean");

    /** The column the database fills itself: {@code $written_at}. */
    public static final String WRITTEN_AT = "$written_at";
    public static final String POSITION = "$position";
    public static final String DELETED = "$deleted";

    /** A column: its name, the field (or {@link #PROVENANCE} name) it holds, and its type in PostgreSQL's words. */
    public record Column(String name, String field, String sqlType) implements Serializable {
        public Column {
            // interned, also as a task deserializes it: records then find the name by identity (FieldNames)
            field = field == null ? null : field.intern();
        }

        public String quoted() {
            return SqlIdentifier.of(name).sql();
        }
    }

    public SqlIdentifier tableIdentifier() {
        return SqlIdentifier.of(table);
    }

    /** The column mapped from {@code field}, or null. */
    public Column columnOf(String field) {
        return columns.stream().filter(c -> c.field().equals(field)).findFirst().orElse(null);
    }

    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
