package dev.midstream.options;

import java.io.Serializable;
import java.util.Locale;

/**
 * How the job's Kafka sources read: the consumer-group prefix ({@code <groupId>.<pipeline or transform>}), where a
 * job without state starts, and whether to stop at the offsets that are latest at start (backfills, tests).
 */
public record SourceOptions(String groupId, StartingOffsets startingOffsets, boolean bounded) implements Serializable {
    public enum StartingOffsets {
        COMMITTED_OR_EARLIEST, EARLIEST, LATEST;

        /** As written in the configuration: {@code committed-or-earliest}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The consumer group of one pipeline or transform. */
    public String groupOf(String name) {
        return groupId + "." + name;
    }
}
