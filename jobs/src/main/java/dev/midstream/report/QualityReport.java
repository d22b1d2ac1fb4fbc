package dev.midstream.report;

import dev.midstream.model.EnrichSpec;
import dev.midstream.model.LayerSpec;
import dev.midstream.model.LookupSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.QualitySpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code midstream report} shows, computed from the quality history and the dead-letter tables: per data set a
 * scorecard, every declared rule (those that never fired too), where rejects come from, recent dead letters
 * (without payloads), undeclared fields, a trend, and the verdict against the file's {@code quality:} expectations.
 */
public record QualityReport(Instant generatedAt, Duration window, Duration bucket, List<DataSet> dataSets) {

    /** The verdict, ordered by severity; its ordinal is the exit code. */
    public enum Status { OK, WARNING, ERROR }

    public record Count(String stage, String rule, long records, double ratio) {}

    public record Partition(String topic, int partition, long read, long rejected, double ratio) {}

    public record Bucket(Instant start, long read, long rejected) {}

    /**
     * A recent dead letter: where it came from and why, and what {@code midstream.deadletter.payload} kept of its
     * payload with emails and personal-data fields hidden (null when the policy keeps none).
     */
    public record Sample(String stage, String rule, String field, String reason, String position, Instant at,
            String payload) {}

    /** From event time to the row's {@code $written_at}, over the rows written in the window (null: not measured). */
    public record Latency(long rows, double p50Seconds, double p99Seconds) {}

    /** What the report reads besides the history: from the dead-letter and sink tables. */
    record Tables(List<Sample> samples, Map<String, Long> rejectedFields, Latency latency, Instant lastWritten) {
        static final Tables NONE = new Tables(List.of(), Map.of(), null, null);
    }

    /**
     * One data set: a pipeline ({@code kind} pipeline, every record accounted for) or a transform layer
     * ({@code transform}: facts read, rejected and unmatched per step; a fact can land in several tables, so
     * {@code written} and {@code unaccounted} are null).
     */
    public record DataSet(String pipeline, String kind, long read, Long written, long rejected, long deduplicated,
            long skipped, long expanded, Long unaccounted, double rejectedRatio, Instant lastWritten,
            Duration sinceLastWritten, long readLastHour, Latency latency, List<Count> rules,
            List<Partition> partitions, List<Count> topFields, List<Count> unknownFields, List<Count> emptyFields,
            List<Count> unmatched, List<Sample> samples, List<Bucket> trend, Status status, List<String> findings) {}

    public Status status() {
        return dataSets.stream().map(DataSet::status).max(Enum::compareTo).orElse(Status.OK);
    }

    /** A pipeline's numbers from the history rows of its pipeline, judged against its expectations. */
    static DataSet dataSet(PipelineSpec spec, HistoryRows rows, Tables tables, Instant now, Duration window,
            Duration bucket) {
        List<String> declared = spec.rules().stream().map(r -> key("validation", r.id())).toList();
        return build(spec.name(), "pipeline", declared, spec.quality(), rows, tables, now, window, bucket);
    }

    /** A transform layer's numbers: every step that can reject or go on without its row, those that never did too. */
    static DataSet layer(LayerSpec spec, HistoryRows rows, Tables tables, Instant now, Duration window,
            Duration bucket) {
        List<String> declared = new ArrayList<>();
        spec.lookups().stream().filter(LookupSpec::rejectMissing)
                .forEach(l -> declared.add(key("enrich:" + l.id(), "lookup_missing")));
        if (spec.enrich() != null && spec.enrich().onMissing() == EnrichSpec.OnMissing.DEAD_LETTER) {
            declared.add(key("enrich:" + spec.enrich().id(), "dimension_missing"));
        }
        spec.aggregates().forEach(a -> declared.add(key("late:" + a.window().id(), "window_closed")));
        return build(spec.name(), "transform", declared, null, rows, tables, now, window, bucket);
    }

    private static String key(String stage, String rule) {
        return stage + '\u0000' + rule;
    }

    private static List<Count> counts(Map<String, Long> byStageAndRule, long of) {
        List<Count> out = new ArrayList<>();
        byStageAndRule.forEach((k, v) -> out.add(new Count(k.substring(0, k.indexOf('\u0000')),
                k.substring(k.indexOf('\u0000') + 1), v, of == 0 ? 0 : (double) v / of)));
        out.sort((a, b) -> Long.compare(b.records(), a.records()));
        return out;
    }

    private static DataSet build(String name, String kind, List<String> declared, QualitySpec quality,
            HistoryRows rows, Tables tables, Instant now, Duration window, Duration bucket) {
        boolean pipeline = kind.equals("pipeline");
        Instant from = now.minus(window);
        Map<String, Long> window_ = rows.sumsSince(from);
        long read = window_.getOrDefault("read", 0L);
        long rejected = window_.getOrDefault("rejected", 0L);
        long written = window_.getOrDefault("written", 0L);
        Map<String, Long> all = rows.sumsSince(Instant.EPOCH);
        Long unaccounted = !pipeline ? null : all.getOrDefault("read", 0L) + all.getOrDefault("expanded", 0L)
                - all.getOrDefault("written", 0L) - all.getOrDefault("rejected", 0L)
                - all.getOrDefault("deduplicated", 0L) - all.getOrDefault("skipped", 0L);
        double ratio = read == 0 ? 0 : (double) rejected / read;

        Map<String, Long> byRule = new LinkedHashMap<>();
        declared.forEach(k -> byRule.put(k, 0L));
        rows.bySince("rejected", from).forEach((k, v) -> byRule.merge(k, v, Long::sum));
        List<Count> rules = counts(byRule, read);

        List<Count> topFields = new ArrayList<>();
        tables.rejectedFields().forEach((field, n) -> topFields.add(new Count("", field, n,
                rejected == 0 ? 0 : (double) n / rejected)));
        topFields.sort((a, b) -> Long.compare(b.records(), a.records()));
        List<Count> unknown = counts(rows.bySince("unknown_field", from), read);
        List<Count> empty = counts(rows.bySince("null_field", from), written);
        List<Count> unmatched = counts(rows.bySince("unmatched", from), read);

        Instant lastWritten = pipeline ? rows.lastWritten() : tables.lastWritten();
        // a row written while the report was being read is fresh, not from the future
        Duration sinceWritten = lastWritten == null ? null
                : Duration.between(lastWritten.isAfter(now) ? now : lastWritten, now);
        long readLastHour = rows.sumsSince(now.minus(Duration.ofHours(1))).getOrDefault("read", 0L);

        List<String> findings = new ArrayList<>();
        Status status = Status.OK;
        if (unaccounted != null && unaccounted != 0) {
            findings.add(unaccounted + " records read are not accounted for as written, rejected, deduplicated or"
                    + " skipped (records in flight in a running job's remote step count here until they land)");
            status = Status.ERROR;
        }
        QualityReport.Latency latency = tables.latency();
        if (latency != null && latency.rows() > 0 && latency.p50Seconds() < 0) {
            findings.add("event times run ahead of the times their rows were written (median "
                    + human(Duration.ofMillis((long) (-latency.p50Seconds() * 1000))) + "): a producer's clock, or"
                    + " its data, is ahead; latency cannot be measured from event time");
        }
        QualitySpec q = quality == null ? QualitySpec.NONE : quality;
        if (read > 0 && q.rejectedRatioError() != null && ratio > q.rejectedRatioError()) {
            findings.add(String.format(java.util.Locale.ROOT, "rejected %.2f%% of records, above the error threshold"
                    + " %.2f%%", ratio * 100, q.rejectedRatioError() * 100));
            status = Status.ERROR;
        } else if (read > 0 && q.rejectedRatioWarn() != null && ratio > q.rejectedRatioWarn()) {
            findings.add(String.format(java.util.Locale.ROOT, "rejected %.2f%% of records, above the warning threshold"
                    + " %.2f%%", ratio * 100, q.rejectedRatioWarn() * 100));
            status = max(status, Status.WARNING);
        }
        if (q.freshnessError() != null || q.freshnessWarn() != null) {
            if (sinceWritten == null) {
                findings.add("no row has been written yet");
                status = max(status, q.freshnessError() != null ? Status.ERROR : Status.WARNING);
            } else if (q.freshnessError() != null && sinceWritten.compareTo(q.freshnessError()) > 0) {
                findings.add("last rows written " + human(sinceWritten) + " ago, beyond " + human(q.freshnessError()));
                status = Status.ERROR;
            } else if (q.freshnessWarn() != null && sinceWritten.compareTo(q.freshnessWarn()) > 0) {
                findings.add("last rows written " + human(sinceWritten) + " ago, beyond " + human(q.freshnessWarn()));
                status = max(status, Status.WARNING);
            }
        }
        if (q.minRecordsPerHour() != null && readLastHour < q.minRecordsPerHour()) {
            findings.add(readLastHour + " records read in the last hour, fewer than " + q.minRecordsPerHour());
            status = max(status, Status.WARNING);
        }
        return new DataSet(name, kind, read, pipeline ? written : null, rejected,
                window_.getOrDefault("deduplicated", 0L), window_.getOrDefault("skipped", 0L),
                window_.getOrDefault("expanded", 0L), unaccounted, ratio, lastWritten, sinceWritten, readLastHour,
                tables.latency(), rules, rows.partitionsSince(from), topFields, unknown, empty, unmatched,
                tables.samples(), rows.trend(from, now, bucket), status, findings);
    }

    private static Status max(Status a, Status b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172800 ? s / 3600 + " h" : s / 86400 + " d";
    }

    /** The history rows of one pipeline. */
    record HistoryRows(List<Row> rows) {
        record Row(String measure, String stage, String rule, String topic, int partition, long records, Instant at) {}

        Map<String, Long> sumsSince(Instant from) {
            Map<String, Long> sums = new TreeMap<>();
            rows.stream().filter(r -> !r.at().isBefore(from)).forEach(r -> sums.merge(r.measure(), r.records(), Long::sum));
            return sums;
        }

        /** Sums of one measure per stage and rule since {@code from}. */
        Map<String, Long> bySince(String measure, Instant from) {
            Map<String, Long> sums = new LinkedHashMap<>();
            rows.stream().filter(r -> r.measure().equals(measure) && !r.at().isBefore(from))
                    .forEach(r -> sums.merge(r.stage() + '\u0000' + r.rule(), r.records(), Long::sum));
            return sums;
        }

        List<Partition> partitionsSince(Instant from) {
            Map<String, long[]> sums = new TreeMap<>();
            for (Row r : rows) {
                if (r.at().isBefore(from)) {
                    continue;
                }
                long[] s = sums.computeIfAbsent(r.topic() + '\u0000' + r.partition(), k -> new long[2]);
                if (r.measure().equals("read")) {
                    s[0] += r.records();
                } else if (r.measure().equals("rejected")) {
                    s[1] += r.records();
                }
            }
            List<Partition> out = new ArrayList<>();
            sums.forEach((k, s) -> out.add(new Partition(k.substring(0, k.indexOf('\u0000')),
                    Integer.parseInt(k.substring(k.indexOf('\u0000') + 1)), s[0], s[1], s[0] == 0 ? 0 : (double) s[1] / s[0])));
            out.sort((a, b) -> Long.compare(b.rejected(), a.rejected()));
            return out;
        }

        Instant lastWritten() {
            return rows.stream().filter(r -> r.measure().equals("written") && r.records() > 0).map(Row::at)
                    .max(Instant::compareTo).orElse(null);
        }

        List<Bucket> trend(Instant from, Instant to, Duration bucket) {
            long size = bucket.toMillis();
            long start = from.toEpochMilli() / size * size;
            int n = (int) Math.min(10_000, (to.toEpochMilli() - start) / size + 1);
            long[] read = new long[n];
            long[] rejected = new long[n];
            for (Row r : rows) {
                int i = (int) ((r.at().toEpochMilli() - start) / size);
                if (i < 0 || i >= n) {
                    continue;
                }
                if (r.measure().equals("read")) {
                    read[i] += r.records();
                } else if (r.measure().equals("rejected")) {
                    rejected[i] += r.records();
                }
            }
            List<Bucket> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Bucket(Instant.ofEpochMilli(start + i * size), read[i], rejected[i]));
            }
            return out;
        }
    }
}
