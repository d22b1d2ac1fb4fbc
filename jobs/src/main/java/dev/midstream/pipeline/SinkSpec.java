package dev.midstream.pipeline;

import dev.midstream.sink.SqlIdentifier;

import java.io.Serializable;
import java.util.List;

/**
 * Where clean records go: a PostgreSQL table upserted by {@code primaryKey} (columns mapped from field paths,
 * types from the schema unless given) and, optionally, a Kafka topic of clean records as JSON.
 * With {@code upsert: newer} a row is only replaced by one whose {@code versionColumn} is greater.
 */
public record SinkSpec(String table, List<String> primaryKey, List<Column> columns, Upsert upsert,
        String versionColumn, String topic) implements Serializable {

    public enum Upsert { ALWAYS, NEWER }

    /** Where a row came from, for lineage columns: {@code $source_topic}, {@code $source_partition}, {@code $source_offset}. */
    public static final java.util.Map<String, String> PROVENANCE = java.util.Map.of(
            "$source_topic", "text", "$source_partition", "integer", "$source_offset", "bigint");

    public record Column(String name, String field, String sqlType) implements Serializable {
        public String quoted() {
            return SqlIdentifier.of(name).sql();
        }
    }

    public SqlIdentifier tableIdentifier() {
        return SqlIdentifier.of(table);
    }
}
