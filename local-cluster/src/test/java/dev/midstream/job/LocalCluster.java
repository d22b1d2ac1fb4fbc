package dev.midstream.job;

import dev.midstream.testkit.FreePort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives deploy/local/flink-cluster.sh — the script users run — for one cluster under a directory of its own. */
final class LocalCluster implements AutoCloseable {
    /** The shaded job jar the jobs module builds (before this module in the reactor). */
    static final Path JOB_JAR = Path.of("..", "jobs", "target", "midstream-jobs-0.1.0-SNAPSHOT-flink.jar")
            .toAbsolutePath().normalize();
    private static final Path SCRIPT = Path.of("..", "deploy", "local", "flink-cluster.sh").toAbsolutePath().normalize();
    private static final Path MIDSTREAM = Path.of("..", "deploy", "local", "midstream").toAbsolutePath().normalize();

    final Path home;
    final int restPort;
    final int promPortFrom;
    private final int rpcPort;
    private final int zooKeeperPort;
    private final Map<String, String> env;

    LocalCluster(Path home, Map<String, String> env) {
        this.home = home;
        this.restPort = FreePort.pick();
        this.rpcPort = FreePort.pick();
        this.zooKeeperPort = FreePort.pick();
        this.promPortFrom = FreePort.pickRange(2, restPort, rpcPort, zooKeeperPort);
        this.env = env;
    }

    void killTaskManager() throws Exception {
        run(30, "kill-taskmanager");
    }

    void startTaskManager() throws Exception {
        run(120, "start-taskmanager");
    }

    /** Only with {@code MIDSTREAM_HA=zookeeper}: the job comes back under the new JobManager. */
    void killJobManager() throws Exception {
        run(30, "kill-jobmanager");
    }

    void startJobManager() throws Exception {
        run(180, "start-jobmanager");
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    void start() throws Exception {
        run(120, "start");
    }

    /** The Flink CLI against this cluster ({@code flink run|stop|list|cancel …}); returns what it printed. */
    String flink(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "flink";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(180, all);
    }

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Command(int exitCode, String output) {}

    /** {@code deploy/local/midstream …}, the command line users run, with this cluster's environment. */
    Command midstream(String... args) throws Exception {
        return execute(MIDSTREAM, 120, args);
    }

    static String jobIdOf(String runOutput) {
        Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(runOutput);
        if (!m.find()) {
            throw new AssertionError("no job id in: " + runOutput);
        }
        return m.group(1);
    }

    static String savepointOf(String stopOutput) {
        Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(stopOutput);
        if (!m.find()) {
            throw new AssertionError("no savepoint path in: " + stopOutput);
        }
        return m.group(1);
    }

    private String run(int timeoutSeconds, String... args) throws Exception {
        Command done = execute(SCRIPT, timeoutSeconds, args);
        if (done.exitCode() != 0) {
            throw new AssertionError(String.join(" ", args) + " exited " + done.exitCode() + ":\n" + done.output()
                    + logTails());
        }
        return done.output();
    }

    /** {@code script args…} with this cluster's directory, ports and environment. */
    private Command execute(Path script, int timeoutSeconds, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = script.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("MIDSTREAM_CLUSTER_DIR", home.toString());
        builder.environment().put("MIDSTREAM_REST_PORT", Integer.toString(restPort));
        builder.environment().put("MIDSTREAM_PROM_PORTS", promPortFrom + "-" + (promPortFrom + 1));
        builder.environment().put("MIDSTREAM_RPC_PORT", Integer.toString(rpcPort));
        builder.environment().put("MIDSTREAM_ZK_PORT", Integer.toString(zooKeeperPort));
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " timed out");
        }
        return new Command(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /**
     * The end of every cluster log, for a failure message; the whole logs are kept in {@code target/cluster-logs/}
     * (the cluster directory is a temporary one).
     */
    String logTails() {
        StringBuilder tails = new StringBuilder();
        try {
            Path kept = Path.of("target", "cluster-logs", home.getParent().getFileName().toString());
            java.nio.file.Files.createDirectories(kept);
            try (var files = java.nio.file.Files.list(home.resolve("log"))) {
                for (Path file : files.toList()) {
                    java.nio.file.Files.copy(file, kept.resolve(file.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            tails.append("\n(whole cluster logs in ").append(kept.toAbsolutePath()).append(')');
        } catch (IOException | RuntimeException e) {
            tails.append("\n(cluster logs not kept: ").append(e.getMessage()).append(')');
        }
        try (var files = java.nio.file.Files.list(home.resolve("log"))) {
            for (Path file : files.sorted().toList()) {
                List<String> lines = java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8);
                tails.append("\n--- ").append(file.getFileName()).append(" (last 25 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
            }
        } catch (IOException | RuntimeException e) {
            tails.append("\n(no cluster logs: ").append(e.getMessage()).append(')');
        }
        return tails.toString();
    }

    @Override
    public void close() throws Exception {
        run(60, "stop");
    }

}
