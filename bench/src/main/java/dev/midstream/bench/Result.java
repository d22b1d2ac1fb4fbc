package dev.midstream.bench;

import java.util.Locale;

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

    /** {@code cores}: the cores the JVM (feeder included), PostgreSQL and the broker kept busy while events were fed. */
    record Latency(double inputPerSecond, long samples, long p50Ms, long p99Ms, long maxMs, CpuMeter.Sample cores) {
        double coresBusy() {
            return cores.jvm() + cores.postgres() + cores.kafka();
        }

        String summary() {
            return String.format(Locale.ROOT, "p50 %,d ms, p99 %,d ms, max %,d ms over %,d orders; while feeding %.2f"
                    + " cores busy (JVM %.2f, PostgreSQL %.2f, broker %.2f)", p50Ms, p99Ms, maxMs, samples, coresBusy(),
                    cores.jvm(), cores.postgres(), cores.kafka());
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
