package dev.midstream.testkit.debezium;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link DebeziumToKafka} in a JVM of its own, on the class path this module wrote at build time (Kafka
 * Connect 4.3, Debezium's Jackson), so none of it meets the test's class path. Uses only the JDK.
 */
public final class DebeziumProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private DebeziumProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Writes {@code properties} (Debezium's, plus {@code runner.bootstrap-servers}) under {@code dir} and starts. */
    public static DebeziumProcess start(Properties properties, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve(name + ".properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties.store(out, "Debezium runner " + name);
        }
        Path log = dir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=debezium-runner-log4j2.properties", "-cp", classPath(),
                DebeziumToKafka.class.getName(), config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new DebeziumProcess(process, log);
    }

    private static String classPath() throws IOException {
        try (InputStream in = DebeziumProcess.class.getResourceAsStream("/debezium-runner.classpath")) {
            if (in == null) {
                throw new IOException("debezium-runner.classpath is missing: build testkit/debezium with Maven");
            }
            Path self = Path.of(DebeziumProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self + java.io.File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM: the engine stops and commits its offsets. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL, as a crash: what was sent since the last offset commit is sent again after a restart. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
