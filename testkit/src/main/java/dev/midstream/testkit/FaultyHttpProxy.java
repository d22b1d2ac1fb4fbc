package dev.midstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP proxy on a loopback port in front of a function host, for fault tests: it forwards every request
 * unless told to answer the next ones itself (a status such as 503 or 429, with {@code Retry-After}) or to hold them
 * before forwarding (slower than the caller's timeout). It counts each record id it forwards, so a test can see that
 * retries and restores sent an id again.
 */
public final class FaultyHttpProxy implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Fault(int status, String retryAfter, long delayMillis) {}

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile String target;
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> ids = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger hostDownAnswers = new AtomicInteger();

    public FaultyHttpProxy(String target) throws IOException {
        this.target = target;
        // As the function host does: without it the JDK server holds small answers for the client's delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Points the proxy at another host (after a restart on a new port). */
    public void target(String url) {
        this.target = url;
    }

    /** The next {@code times} calls of a function are answered with {@code status} (and {@code Retry-After}). */
    public void answer(int times, int status, String retryAfter) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(status, retryAfter, 0));
        }
    }

    /** The next {@code times} calls are held {@code millis} before they are forwarded. */
    public void delay(int times, long millis) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(0, null, millis));
        }
    }

    /** How many calls the proxy answered 502 because the host behind it could not be reached. */
    public int hostDownAnswers() {
        return hostDownAnswers.get();
    }

    private void countIds(byte[] body) {
        try {
            for (JsonNode record : JSON.readTree(body).path("records")) {
                ids.computeIfAbsent(record.path("id").asText(), k -> new AtomicInteger()).incrementAndGet();
            }
        } catch (IOException notJson) {
            // not a batch: nothing to count
        }
    }

    public int requests() {
        return requests.get();
    }

    /** How often the host answered a batch holding each record id (200). */
    public Map<String, Integer> idsSeen() {
        Map<String, Integer> seen = new java.util.TreeMap<>();
        ids.forEach((id, n) -> seen.put(id, n.get()));
        return seen;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            boolean call = exchange.getRequestMethod().equals("POST") && !path.endsWith("/check");
            if (call) {
                requests.incrementAndGet();
                Fault fault = faults.poll();
                if (fault != null && fault.status() != 0) {
                    if (fault.retryAfter() != null) {
                        exchange.getResponseHeaders().set("Retry-After", fault.retryAfter());
                    }
                    byte[] error = ("{\"protocol\":1,\"error\":\"injected " + fault.status() + "\"}").getBytes();
                    exchange.sendResponseHeaders(fault.status(), error.length);
                    exchange.getResponseBody().write(error);
                    return;
                }
                if (fault != null) {
                    Thread.sleep(fault.delayMillis());
                }
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response;
            try {
                response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException hostDown) {
                hostDownAnswers.incrementAndGet();
                byte[] error = "{\"protocol\":1,\"error\":\"the host behind the proxy is down\"}".getBytes();
                exchange.sendResponseHeaders(502, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            if (call && response.statusCode() == 200) {
                countIds(body);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
