package dev.midstream.change;

import java.util.List;

/** What one Kafka record of a change stream holds: row changes, nothing to write, or something unreadable. */
public sealed interface Envelope {
    /** One change per row, in log order. */
    record Changes(List<Change> changes) implements Envelope {}

    /**
     * A record that carries no row change, counted and skipped: {@code tombstone}, {@code truncate},
     * {@code schema_change}, {@code heartbeat}, {@code transaction}, {@code message}, {@code bootstrap}.
     */
    record Skipped(String kind) implements Envelope {}

    /** Not a change this pipeline can take: a dead letter of stage {@code change} (or {@code validation}). */
    record Refused(boolean validation, String rule, String field, String reason) implements Envelope {
        static Refused change(String rule, String reason) {
            return new Refused(false, rule, null, reason);
        }

        static Refused value(String field, String reason) {
            return new Refused(true, field + "_encoding", field, field + ": " + reason);
        }
    }
}
