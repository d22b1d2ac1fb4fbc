package dev.midstream.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.midstream.udf.Record;
import dev.midstream.udf.remote.RemoteProtocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The handler as AWS Lambda runs it: the Lambda runtime interface client (aws-lambda-java-runtime-interface-client,
 * the one AWS's Java base images run) in a JVM of its own, polling a Runtime API endpoint this test serves on a
 * loopback port, as the Lambda service would. Function URL events (payload format 2.0) in, HTTP responses out.
 */
class LambdaHandlerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A Lambda Runtime API: hands out the queued events, one per {@code next}, and collects the responses. */
    private static final class RuntimeApi implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final BlockingQueue<String> responses = new LinkedBlockingQueue<>();
        final CountDownLatch closing = new CountDownLatch(1);
        int next;

        RuntimeApi() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/2018-06-01/runtime/", this::serve);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
        }

        private void serve(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.endsWith("/invocation/next")) {
                    String event;
                    try {
                        event = events.poll(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (event == null) {
                        closing.await(60, TimeUnit.SECONDS);
                        return;
                    }
                    String id = "request-" + (++next);
                    exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", id);
                    exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms",
                            Long.toString(System.currentTimeMillis() + 60_000));
                    exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                            "arn:aws:lambda:eu-central-1:000000000000:function:midstream-host");
                    exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id", "Root=1-0-0");
                    exchange.getResponseHeaders().set("Lambda-Runtime-Client-Context", "{}");
                    exchange.getResponseHeaders().set("Lambda-Runtime-Cognito-Identity", "{}");
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    byte[] body = event.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                } else {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    responses.add(path + " " + body);
                    exchange.sendResponseHeaders(202, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closing.countDown();
            server.stop(0);
        }
    }

    private static String event(String method, String path, byte[] body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("rawPath", path);
        event.putObject("requestContext").putObject("http").put("method", method).put("path", path);
        event.put("body", java.util.Base64.getEncoder().encodeToString(body));
        event.put("isBase64Encoded", true);
        return event.toString();
    }

    @Test
    void theRuntimeInterfaceClientServesTheProtocolThroughTheHandler() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "lambda-test"));
        try (RuntimeApi api = new RuntimeApi()) {
            api.events.add(event("GET", "/v1/functions", new byte[0]));
            api.events.add(event("POST", "/v1/functions/email_domain", RemoteProtocol.encode(new RemoteProtocol.Request(
                    "email_domain", "customers", "domain", Map.of("field", "email", "into", "domain"),
                    List.of(new RemoteProtocol.Call("customers/domain/t-0@5#0", new Record().set("email", "b@Shop.CH")))))));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                    "dev.midstream.host.LambdaHandler::handleRequest")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("lambda.log").toFile());
            builder.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.server.getAddress().getPort());
            builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "midstream-host");
            builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
            builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            builder.environment().put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/midstream-host");
            builder.environment().put("AWS_LAMBDA_LOG_STREAM_NAME", "test");
            Process lambda = builder.start();
            try {
                List<String> responses = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String response = api.responses.poll(60, TimeUnit.SECONDS);
                    assertTrue(response != null, () -> "no response from the runtime client: " + log(dir));
                    responses.add(response);
                }
                assertTrue(responses.get(0).startsWith("/2018-06-01/runtime/invocation/request-1/response "),
                        responses.get(0));
                JsonNode listing = JSON.readTree(responses.get(0).substring(responses.get(0).indexOf(' ') + 1));
                assertEquals(200, listing.path("statusCode").asInt());
                assertTrue(RemoteProtocol.decodeListing(listing.path("body").asText().getBytes(StandardCharsets.UTF_8))
                        .contains("email_domain"));
                JsonNode call = JSON.readTree(responses.get(1).substring(responses.get(1).indexOf(' ') + 1));
                assertEquals(200, call.path("statusCode").asInt(), call.toString());
                RemoteProtocol.Response result = RemoteProtocol.decodeResponse(call.path("body").asText()
                        .getBytes(StandardCharsets.UTF_8));
                assertEquals(List.of(new Record().set("email", "b@Shop.CH").set("domain", "shop.ch")),
                        result.outcomes().get(0).records());
            } finally {
                lambda.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("lambda.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
