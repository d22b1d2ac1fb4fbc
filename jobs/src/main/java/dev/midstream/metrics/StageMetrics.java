package dev.midstream.metrics;

import dev.midstream.deadletter.Stage;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * The accounting counters of one operator, all under the {@code midstream} metric group:
 * {@code midstream.read}, {@code midstream.written}, {@code midstream.rejected}, {@code midstream.deduplicated},
 * and per stage and rule {@code midstream.<stage>.rejected.<rule>}. Summed over all operators of a job,
 * read = written + rejected + deduplicated.
 */
public final class StageMetrics {
    public static final String GROUP = "midstream";
    public static final String READ = "read";
    public static final String WRITTEN = "written";
    public static final String REJECTED = "rejected";
    public static final String DEDUPLICATED = "deduplicated";

    private final MetricGroup group;
    private final Counter rejected;
    private final Map<String, Counter> rejectedByRule = new HashMap<>();

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
}
