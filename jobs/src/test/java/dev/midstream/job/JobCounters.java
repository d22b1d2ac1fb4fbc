package dev.midstream.job;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.util.Map;
import java.util.TreeMap;

/** A job's counters under {@code midstream}, summed over operators and subtasks, by their name below {@code midstream.}. */
final class JobCounters {
    private JobCounters() {}

    static Map<String, Long> of(InMemoryReporter metrics, JobID job) {
        // By group, not by identifier: a task of one operator has the operator's name, so identifiers can repeat.
        Map<String, Long> sums = new TreeMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : metrics.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            String scope = String.join(".", group.getKey().getScopeComponents());
            int at = (scope + ".").indexOf(".midstream.");
            if (at < 0) {
                continue;
            }
            String prefix = (scope + ".").substring(at + ".midstream.".length());
            group.getValue().forEach((name, metric) -> {
                if (metric instanceof Counter counter) {
                    sums.merge(prefix + name, counter.getCount(), Long::sum);
                }
            });
        }
        return sums;
    }
}
