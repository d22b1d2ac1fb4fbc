package dev.midstream.layer;

import dev.midstream.aggregate.WindowSpec;
import dev.midstream.enrich.EnrichSpec;
import dev.midstream.pipeline.SinkSpec;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A job of the second layer: facts from one clean topic joined with a dimension from another into a wide table,
 * and event-time window aggregates of the facts into aggregate tables. {@code deterministicWatermarks} emits a
 * watermark after every record (replays decide lateness exactly as the first run did).
 */
public record TransformSpec(String name, String factsTopic, Set<String> factTimestamps, String dimensionTopic,
        Set<String> dimensionTimestamps, Duration outOfOrderness, Duration idleness, boolean deterministicWatermarks,
        EnrichSpec enrich, SinkSpec wideTable, List<Aggregate> aggregates, String deadLetterTable) implements Serializable {

    public record Aggregate(WindowSpec window, SinkSpec table) implements Serializable {}

    public TransformSpec {
        factTimestamps = Set.copyOf(factTimestamps);
        dimensionTimestamps = Set.copyOf(dimensionTimestamps);
        aggregates = List.copyOf(aggregates);
    }
}
