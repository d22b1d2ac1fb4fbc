package dev.midstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds used so far by this JVM (Flink and the contenders' clients), by the database (PostgreSQL: the
 * postmaster, its live backends and the ones that exited; or MariaDB's one process) and by the broker's JVM, from
 * {@code /proc}. Linux only, as is the bench.
 */
final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final long postmaster;
    private final long broker;

    CpuMeter(Path pgData, long brokerPid) throws IOException {
        try (Stream<Path> files = Files.find(pgData, 3, (p, a) -> p.getFileName().toString().equals("postmaster.pid"))) {
            Path pidFile = files.findFirst().orElseThrow(() -> new IOException("no postmaster.pid under " + pgData));
            this.postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        }
        this.broker = brokerPid;
    }

    private CpuMeter(long databasePid, long brokerPid) {
        this.postmaster = databasePid;
        this.broker = brokerPid;
    }

    /** The same meter with another database server's process (MariaDB: one process) in PostgreSQL's place. */
    CpuMeter withDatabase(long pid) {
        return new CpuMeter(pid, broker);
    }

    record Sample(double jvm, double postgres, double kafka) {
        Sample minus(Sample earlier) {
            return new Sample(jvm - earlier.jvm, postgres - earlier.postgres, kafka - earlier.kafka);
        }

        /** The three together: the JVM's, the database's and the broker's. */
        double total() {
            return jvm + postgres + kafka;
        }

        /** The cores each kept busy, for CPU-seconds used over {@code seconds}. */
        Sample per(double seconds) {
            return new Sample(jvm / seconds, postgres / seconds, kafka / seconds);
        }
    }

    Sample sample() {
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        double pg = ticks(postmaster, true) + ProcessHandle.of(postmaster).stream().flatMap(ProcessHandle::descendants)
                .mapToDouble(h -> ticks(h.pid(), false)).sum();
        return new Sample(jvm, pg / TICKS_PER_SECOND, ticks(broker, false) / TICKS_PER_SECOND);
    }

    /** utime + stime (+ cutime + cstime: children that exited) of a process, in clock ticks. */
    private static double ticks(long pid, boolean withExitedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is f[0]; utime, stime, cutime, cstime are fields 14-17 of the line
            double t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return withExitedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        } catch (IOException | RuntimeException e) {
            return 0; // the process exited between listing and reading
        }
    }
}
