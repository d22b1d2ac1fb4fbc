package dev.midstream.function;

import dev.midstream.testkit.FreePort;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The function host ({@code dev.midstream.host.FunctionHost}) as its own JVM on a loopback port, serving the
 * functions on this test class path, as a Knative pod would: it can be killed with SIGKILL and started again on the
 * same port. Its output goes to {@code log}.
 */
public final class FunctionHostProcess implements AutoCloseable {
    private final int port = FreePort.pick();
    private final Path log;
    private Process process;

    private FunctionHostProcess(Path log) {
        this.log = log;
    }

    public static FunctionHostProcess start(Path log) throws IOException {
        FunctionHostProcess host = new FunctionHostProcess(log);
        host.start();
        return host;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the host (again) and waits until it answers {@code /readyz}. */
    public synchronized void start() throws IOException {
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "dev.midstream.host.FunctionHost");
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("THREADS", "4");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("the function host on " + url() + " (log: " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the function host exited: see " + log);
                    }
                    return http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    /** SIGKILL: no graceful shutdown, the batches in flight are cut off. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
