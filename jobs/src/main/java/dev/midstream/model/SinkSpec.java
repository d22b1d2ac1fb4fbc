package dev.midstream.model;


import java.io.Serializable;
import java.util.List;

/**
 * Where clean records go: a PostgreSQL table upserted by {@code primaryKey} (columns mapped from field paths,
 * types from the schema unless given) and, optionally, a Kafka topic of clean records as JSON, written exactly once.
 * With {@code upsert: newer} a row is only replaced by one whose {@code versionColumn} is greater.
 */
public record SinkSpec(String table, List<String> primaryKey, List<Column> columns, Upsert upsert,
        String versionColumn, String topic) implements Serializable {

    public enum Upsert { ALWAYS, NEWER }

    /**
     * Columns that are not record fields: where a row came from ({@code $source_topic}, {@code $source_partition},
     * {@code $source_offset}) and when the database wrote it ({@code $written_at}, the transaction's {@code now()}).
     */
    public static final java.util.Map<String, String> PROVENANCE = java.util.Map.of(
            "$source_topic", "text", "$source_partition", "integer", "$source_offset", "bigint",
            "$written_at", "timestamptz");

    /** The column the database fills itself: {@code $written_at}. */
    public static final String WRITTEN_AT = "$written_at";

    public record Column(String name, String field, String sqlType) implements Serializable {
        public String quoted() {
            return SqlIdentifier.of(name).sql();
        }
    }

    public SqlIdentifier tableIdentifier() {
        return SqlIdentifier.of(table);
    }
}
