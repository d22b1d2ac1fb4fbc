package dev.midstream.model;


import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A job of the second layer, as read from a transform file: facts from one clean topic, optionally looked up in
 * small reference tables and joined with a dimension from another clean topic into a wide table, and event-time
 * window aggregates of the facts into aggregate tables. {@code perEventWatermarks} emits a watermark after every
 * record, so replays decide lateness exactly as the first run did. {@code dimension}, {@code enrich} and
 * {@code wideTable} may be null; there is a wide table or at least one aggregate.
 */
public record LayerSpec(String name, String file, Input facts, Input dimension, Duration outOfOrderness,
        Duration idleness, boolean perEventWatermarks, List<LookupSpec> lookups, EnrichSpec enrich, SinkSpec wideTable,
        List<Aggregate> aggregates, String deadLetterTable) implements Serializable {

    /** A clean topic and the fields the job reads from it, typed as in a pipeline's schema. */
    public record Input(String topic, List<FieldSpec> fields) implements Serializable {
        public Input {
            fields = List.copyOf(fields);
        }

        /** Paths of the timestamp fields, which the clean topic carries as ISO-8601 text. */
        public Set<String> timestampFields() {
            List<String> paths = new ArrayList<>();
            collect(fields, "", paths);
            return Set.copyOf(paths);
        }

        private static void collect(List<FieldSpec> fields, String prefix, List<String> out) {
            for (FieldSpec field : fields) {
                if (field.type().kind() == FieldType.Kind.TIMESTAMP) {
                    out.add(prefix + field.name());
                } else if (field.type().kind() == FieldType.Kind.OBJECT) {
                    collect(field.type().fields(), prefix + field.name() + ".", out);
                }
            }
        }
    }

    public record Aggregate(WindowSpec window, SinkSpec table) implements Serializable {}

    public LayerSpec {
        lookups = List.copyOf(lookups);
        aggregates = List.copyOf(aggregates);
    }

    /** The tables the job upserts: the wide table (if any), then each window's; not the dead-letter table. */
    public List<SinkSpec> tables() {
        List<SinkSpec> tables = new ArrayList<>();
        if (wideTable != null) {
            tables.add(wideTable);
        }
        aggregates.forEach(a -> tables.add(a.table()));
        return tables;
    }
}
