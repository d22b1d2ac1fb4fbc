package dev.midstream.metrics;

import dev.midstream.deadletter.Stage;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * The accounting counters of one operator, all under the {@code midstream} metric group:
 * {@code midstream.read}, {@code midstream.written}, {@code midstream.rejected}, {@code midstream.deduplicated},
 * and per stage and rule {@code midstream.<stage>.rejected.<rule>}; for change streams also {@code midstream.skipped}
 * (records that carry no row change, per kind under {@code midstream.change.skipped.<kind>}) and
 * {@code midstream.expanded} (the rows beyond the first of a record that holds several, Canal's). Summed over all
 * operators of a job, read + expanded = written + rejected + deduplicated + skipped.
 */
public final class StageMetrics {
    public static final String GROUP = "midstream";
    public static final String READ = "read";
    public static final String WRITTEN = "written";
    public static final String REJECTED = "rejected";
    public static final String DEDUPLICATED = "deduplicated";
    public static final String SKIPPED = "skipped";
    public static final String EXPANDED = "expanded";

    private final MetricGroup group;
    private final Counter rejected;
    private final Map<String, Counter> rejectedByRule = new HashMap<>();
    private Counter skipped;
    private final Map<String, Counter> skippedByKind = new HashMap<>();

    public StageMetrics(MetricGroup operatorGroup) {
        this.group = operatorGroup.addGroup(GROUP);
        this.rejected = group.counter(REJECTED);
    }

    /** A counter directly under {@code midstream}, e.g. {@link #READ}. */
    public Counter counter(String name) {
        return group.counter(name);
    }

    /** A counter under {@code midstream.<subgroup>}, e.g. {@code midstream.dedup.stale}. */
    public Counter counter(String subgroup, String name) {
        return group.addGroup(subgroup).counter(name);
    }

    /** Counts one rejected record under the total and under its stage and rule. */
    public void rejected(Stage stage, String rule) {
        rejected.inc();
        rejectedByRule
                .computeIfAbsent(stage.id() + '/' + rule,
                        k -> group.addGroup(stage.id()).addGroup(REJECTED).counter(rule))
                .inc();
    }

    /** Counts one record that carries no row change, under the total and under {@code change.skipped.<kind>}. */
    public void skipped(String kind) {
        if (skipped == null) {
            skipped = group.counter(SKIPPED);
        }
        skipped.inc();
        skippedByKind.computeIfAbsent(kind, k -> group.addGroup("change").addGroup(SKIPPED).counter(k)).inc();
    }
}
