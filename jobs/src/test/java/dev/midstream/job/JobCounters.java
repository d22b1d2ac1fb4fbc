package dev.midstream.job;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.util.Map;
import java.util.TreeMap;

/** A job's counters under {@code midstream}, summed over operators and subtasks, by their name below {@code midstream.}. */
final class JobCounters {
    private JobCounters() {}

    static Map<String, Long> of(InMemoryReporter metrics, JobID job) {
        Map<String, Long> sums = new TreeMap<>();
        for (Map.Entry<String, Metric> e : metrics.getMetricsByIdentifiers(job).entrySet()) {
            int at = e.getKey().indexOf(".midstream.");
            if (at >= 0 && e.getValue() instanceof Counter counter) {
                sums.merge(e.getKey().substring(at + ".midstream.".length()), counter.getCount(), Long::sum);
            }
        }
        return sums;
    }
}
