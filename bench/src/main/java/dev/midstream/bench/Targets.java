package dev.midstream.bench;

import java.util.Locale;

/**
 * Issue 19's targets, read off one run. The reference Midstream contender (A) and the faster tuned SQL job (B) each
 * ran twice, in the order A … B B A: a contender's place in the run moved its throughput by up to a quarter on this
 * machine, and summing both runs of each cancels a drift that is linear in time. Below the table, what the floor
 * (Flink alone, nothing parsed or written) and the ceiling (PostgreSQL alone) leave for the two ratio targets.
 */
record Targets(Result midstream, Result midstreamAgain, Result sql, Result sqlAgain, Result ceiling, Result floor) {
    static final double EVENTS_RATIO = 2.0;
    static final double CPU_RATIO = 0.4;
    static final double CEILING_SHARE = 0.5;
    static final long P99_MS = 500;

    double eventsRatio() {
        return eventsPerSecond(midstream, midstreamAgain) / eventsPerSecond(sql, sqlAgain);
    }

    double cpuRatio() {
        return jvmSecondsPerMillion(midstream, midstreamAgain) / jvmSecondsPerMillion(sql, sqlAgain);
    }

    double ceilingShare() {
        double rows = (double) (midstream.rows() + midstreamAgain.rows()) / (midstream.seconds() + midstreamAgain.seconds());
        return rows / ceiling.rowsPerSecond();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("\nTargets (issue 19), the reference and the anchor each run twice (A … B B A):\n\n");
        md.append("| target | this run | met |\n| --- | --- | --- |\n");
        row(md, String.format(Locale.ROOT, "events/s ≥ %.1f× %s", EVENTS_RATIO, sql.name()),
                String.format(Locale.ROOT, "%.2f× (%,.0f vs %,.0f)", eventsRatio(), eventsPerSecond(midstream, midstreamAgain),
                        eventsPerSecond(sql, sqlAgain)), eventsRatio() >= EVENTS_RATIO);
        row(md, String.format(Locale.ROOT, "JVM CPU s per million events ≤ %.1f× the SQL job's", CPU_RATIO),
                String.format(Locale.ROOT, "%.2f× (%.1f vs %.1f)", cpuRatio(), jvmSecondsPerMillion(midstream, midstreamAgain),
                        jvmSecondsPerMillion(sql, sqlAgain)), cpuRatio() <= CPU_RATIO);
        row(md, String.format(Locale.ROOT, "rows/s ≥ %.0f %% of %s", CEILING_SHARE * 100, ceiling.name()),
                String.format(Locale.ROOT, "%.0f %%", ceilingShare() * 100), ceilingShare() >= CEILING_SHARE);
        if (midstream.latency() != null) {
            Result.Latency l = midstream.latency();
            row(md, "latency p99 ≤ " + P99_MS + " ms, every probe's orders pooled", String.format(Locale.ROOT,
                    "%,d ms at %,.0f events/s, %.2f cores busy (probes alone: %s ms)", l.p99Ms(), l.inputPerSecond(),
                    l.coresBusy(), l.roundsP99()), l.p99Ms() <= P99_MS);
        }
        md.append(bounds());
        return md.toString();
    }

    /**
     * The CPU target against the floor's JVM CPU per event, and the events/s target against a job that cost only the
     * floor's CPU (JVM and broker) plus the ceiling's (writing the final rows), with every core busy.
     */
    String bounds() {
        double target = CPU_RATIO * jvmSecondsPerMillion(sql, sqlAgain);
        double floorJvm = floor.cpu().jvm() * 1e6 / floor.events();
        double now = jvmSecondsPerMillion(midstream, midstreamAgain);
        double perEvent = (floor.cpu().jvm() + floor.cpu().kafka()) / floor.events()
                + (ceiling.cpu().jvm() + ceiling.cpu().postgres()) / midstream.events();
        int cores = Runtime.getRuntime().availableProcessors();
        double bound = cores / perEvent;
        double sqlRate = eventsPerSecond(sql, sqlAgain);
        String cpu = target <= floorJvm
                ? String.format(Locale.ROOT, "- JVM CPU: the target, %.1f s per million events, is below the floor"
                        + " itself: no job on this Flink meets it here.%n", target)
                : String.format(Locale.ROOT, "- JVM CPU: the target, %.1f s per million events, leaves %.1f s above the"
                        + " floor; Midstream spends %.1f above it now, so the target needs %.0f %% of that gone.%n",
                        target, target - floorJvm, now - floorJvm, 100 * (1 - (target - floorJvm) / (now - floorJvm)));
        return String.format(Locale.ROOT, "%nAgainst %s (%,.0f events/s, %.1f JVM CPU s per million events) and the"
                + " ceiling:%n%n%s"
                + "- events/s: a job that cost only the floor's CPU (JVM and broker) and the ceiling's (the final rows"
                + " into PostgreSQL), with all %d cores busy, would make %,.0f events/s, %.2f× the anchor (%,.0f); the"
                + " target is %.1f×.%n", floor.name(), floor.eventsPerSecond(), floorJvm, cpu, cores, bound,
                bound / sqlRate, sqlRate, EVENTS_RATIO);
    }

    private static void row(StringBuilder md, String target, String measured, boolean met) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "yes" : "no").append(" |\n");
    }

    private static double eventsPerSecond(Result first, Result second) {
        return (first.events() + second.events()) / (first.seconds() + second.seconds());
    }

    private static double jvmSecondsPerMillion(Result first, Result second) {
        return (first.cpu().jvm() + second.cpu().jvm()) * 1e6 / (first.events() + second.events());
    }
}
