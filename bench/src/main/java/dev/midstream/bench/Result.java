package dev.midstream.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One contender's throughput run, and (if probed) its latency at half that rate. {@code rows} are the rows in its
 * table at the end; {@code rejected} its dead letters, or -1 where a contender has none (the SQL job drops bad
 * input silently). Equality with the reference is filled in afterwards.
 */
record Result(String name, String kind, double seconds, long events, long rows, long rejected, CpuMeter.Sample cpu,
        Checkpoints checkpoints, Latency latency, Comparison comparison) {

    record Checkpoints(long completed, long avgMs, long maxMs) {
        static final Checkpoints NONE = new Checkpoints(0, -1, -1);
    }

    /**
     * Every probe's orders pooled: p50, p99 and max over all of them; {@code cores}: the mean of the cores the JVM
     * (feeder included), PostgreSQL and the broker kept busy while events were fed; {@code rounds}: each probe alone.
     */
    record Latency(double inputPerSecond, long samples, long p50Ms, long p99Ms, long maxMs, CpuMeter.Sample cores,
            List<Round> rounds) {
        /** One probe: its place in its round (1 = first), its p99, the cores busy, and its p99 by second sent. */
        record Round(int place, long p99Ms, double coresBusy, List<Long> p99BySecond) {}

        static Latency pooled(double inputPerSecond, List<LatencyRun.Probe> probes) {
            List<Long> all = new ArrayList<>();
            double jvm = 0;
            double postgres = 0;
            double kafka = 0;
            List<Round> rounds = new ArrayList<>();
            for (LatencyRun.Probe p : probes) {
                all.addAll(p.sortedMs());
                jvm += p.cores().jvm();
                postgres += p.cores().postgres();
                kafka += p.cores().kafka();
                rounds.add(new Round(p.place(), p.p99(), p.cores().total(), List.copyOf(p.p99BySecond())));
            }
            Collections.sort(all);
            int n = probes.size();
            return new Latency(inputPerSecond, all.size(), LatencyRun.percentile(all, 0.50),
                    LatencyRun.percentile(all, 0.99), all.get(all.size() - 1),
                    new CpuMeter.Sample(jvm / n, postgres / n, kafka / n), List.copyOf(rounds));
        }

        double coresBusy() {
            return cores.total();
        }

        String summary() {
            return String.format(Locale.ROOT, "p50 %,d ms, p99 %,d ms, max %,d ms over %,d orders; while feeding %.2f"
                    + " cores busy (JVM %.2f, PostgreSQL %.2f, broker %.2f); p99 by round %s", p50Ms, p99Ms, maxMs,
                    samples, coresBusy(), cores.jvm(), cores.postgres(), cores.kafka(), roundsP99());
        }

        /** Each probe's p99 in ms, in the order probed, e.g. "291 / 1,107 / 484". */
        String roundsP99() {
            return rounds.stream().map(r -> String.format(Locale.ROOT, "%,d", r.p99Ms()))
                    .collect(Collectors.joining(" / "));
        }
    }

    /** Against the reference table: rows equal in every compared column, rows that differ, keys missing, extra. */
    record Comparison(long equal, long differ, long missing, long extra) {}

    double rowsPerSecond() {
        return rows / seconds;
    }

    double eventsPerSecond() {
        return events / seconds;
    }

    Result withLatency(Latency l) {
        return new Result(name, kind, seconds, events, rows, rejected, cpu, checkpoints, l, comparison);
    }

    Result withComparison(Comparison c) {
        return new Result(name, kind, seconds, events, rows, rejected, cpu, checkpoints, latency, c);
    }
}
