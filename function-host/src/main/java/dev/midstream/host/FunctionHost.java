package dev.midstream.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The function host: every {@code RecordFunction} on the class path, served over the remote-function protocol by
 * the JDK's HTTP server. {@code java -cp function-host-host.jar:my-functions.jar dev.midstream.host.FunctionHost};
 * {@code $PORT} (default 8080; Knative sets it), {@code $HOST} (default 0.0.0.0), {@code $THREADS} (worker threads,
 * default twice the processors), {@code $MAX_REQUEST_BYTES} (default 16 MiB, larger requests get 413). SIGTERM
 * stops accepting, lets running calls finish (up to 10 s) and closes the functions.
 */
public final class FunctionHost implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final Invoker invoker;
    private final long maxRequestBytes;
    private final AtomicLong calls = new AtomicLong();

    private FunctionHost(HttpServer server, ExecutorService workers, Invoker invoker, long maxRequestBytes) {
        this.server = server;
        this.workers = workers;
        this.invoker = invoker;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The JDK server leaves Nagle's algorithm on unless this is set before its first use: with the client's delayed
     * ACKs every small answer then waits about 40 ms (measured: 45 ms per call on loopback, 2 ms without).
     */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    public static FunctionHost start(String host, int port, int threads, long maxRequestBytes, Invoker invoker)
            throws IOException {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 256);
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "function-worker");
            t.setDaemon(false);
            return t;
        });
        FunctionHost functionHost = new FunctionHost(server, workers, invoker, maxRequestBytes);
        server.createContext("/", functionHost::serve);
        server.setExecutor(workers);
        server.start();
        return functionHost;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(env("PORT", "8080"));
        int threads = Integer.parseInt(env("THREADS", Integer.toString(2 * Runtime.getRuntime().availableProcessors())));
        long maxBytes = Long.parseLong(env("MAX_REQUEST_BYTES", Long.toString(16L << 20)));
        Invoker invoker = Invoker.fromClassPath(FunctionHost.class.getClassLoader());
        FunctionHost host = start(env("HOST", "0.0.0.0"), port, threads, maxBytes, invoker);
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "function-host-shutdown"));
        System.out.println("Function host: serving " + invoker.names() + " on port " + host.port() + " with " + threads
                + " worker threads (protocol 1)");
        System.out.flush();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Calls served so far (functions and checks). */
    public long calls() {
        return calls.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            long declared = exchange.getRequestHeaders().getFirst("Content-Length") == null ? -1
                    : Long.parseLong(exchange.getRequestHeaders().getFirst("Content-Length"));
            if (declared > maxRequestBytes) {
                // The body stays unread, so this connection cannot carry another request: tell the client.
                exchange.getResponseHeaders().set("Connection", "close");
                reply(exchange, new Invoker.Reply(413, dev.midstream.udf.remote.RemoteProtocol.error("request of "
                        + declared + " bytes, at most " + maxRequestBytes + " accepted; send smaller batches"),
                        "application/json"));
                return;
            }
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes((int) Math.min(maxRequestBytes + 1, Integer.MAX_VALUE));
            }
            if (body.length > maxRequestBytes) {
                exchange.getResponseHeaders().set("Connection", "close");
                reply(exchange, new Invoker.Reply(413, dev.midstream.udf.remote.RemoteProtocol.error("request larger than "
                        + maxRequestBytes + " bytes; send smaller batches"), "application/json"));
                return;
            }
            calls.incrementAndGet();
            reply(exchange, invoker.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
        }
    }

    private static void reply(HttpExchange exchange, Invoker.Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    @Override
    public void close() {
        server.stop(10);
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        invoker.close();
    }
}
