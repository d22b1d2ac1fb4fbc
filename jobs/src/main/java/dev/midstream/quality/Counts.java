package dev.midstream.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Deltas being counted in one operator instance, until they are handed on: per outcome and source partition. */
public final class Counts {
    private final String pipeline;
    private final String measure;
    // The common case, a plain count per partition, without a key object per record.
    private final Map<String, long[]> byTopic = new HashMap<>();
    private final Map<String, QualityCount> detailed = new HashMap<>();
    private Series[] series = new Series[0];

    public Counts(String pipeline, String measure) {
        this.pipeline = pipeline;
        this.measure = measure;
    }

    public void add(String topic, int partition) {
        increment(byTopic, topic, partition);
    }

    /**
     * The counts of another measure, stage and rule, for a classifier that counts the same few things per record
     * (a field left empty): {@code slot} picks it without building a key per record.
     */
    public Series series(int slot, String measure, String stage, String rule) {
        if (slot >= series.length) {
            series = java.util.Arrays.copyOf(series, slot + 1);
        }
        Series s = series[slot];
        if (s == null) {
            s = new Series(measure, stage, rule);
            series[slot] = s;
        }
        return s;
    }

    /** Plain per-partition counts of one measure, stage and rule. */
    public static final class Series {
        private final String measure;
        private final String stage;
        private final String rule;
        private final Map<String, long[]> byTopic = new HashMap<>();

        private Series(String measure, String stage, String rule) {
            this.measure = measure;
            this.stage = stage;
            this.rule = rule;
        }

        public void add(String topic, int partition) {
            increment(byTopic, topic, partition);
        }
    }

    private static void increment(Map<String, long[]> byTopic, String topic, int partition) {
        long[] partitions = byTopic.get(topic);
        if (partitions == null || partitions.length <= partition) {
            long[] grown = new long[Math.max(partition + 1, partitions == null ? 4 : partitions.length * 2)];
            if (partitions != null) {
                System.arraycopy(partitions, 0, grown, 0, partitions.length);
            }
            partitions = grown;
            byTopic.put(topic, partitions);
        }
        partitions[partition]++;
    }

    public void add(String stage, String rule, String topic, int partition, long records) {
        QualityCount count = new QualityCount(pipeline, measure, stage, rule, topic, partition, records);
        detailed.merge(count.key(), count, (a, b) -> {
            a.records += b.records;
            return a;
        });
    }

    /** The deltas since the last call, and a fresh start. */
    public List<QualityCount> drain() {
        List<QualityCount> out = new ArrayList<>(detailed.values());
        detailed.clear();
        drain(byTopic, measure, "", "", out);
        for (Series s : series) {
            if (s != null) {
                drain(s.byTopic, s.measure, s.stage, s.rule, out);
            }
        }
        return out;
    }

    private void drain(Map<String, long[]> byTopic, String measure, String stage, String rule, List<QualityCount> out) {
        byTopic.forEach((topic, partitions) -> {
            for (int p = 0; p < partitions.length; p++) {
                if (partitions[p] != 0) {
                    out.add(new QualityCount(pipeline, measure, stage, rule, topic, p, partitions[p]));
                    partitions[p] = 0;
                }
            }
        });
    }
}
