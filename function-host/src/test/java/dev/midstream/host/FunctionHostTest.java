package dev.midstream.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.udf.Record;
import dev.midstream.udf.remote.RemoteProtocol;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** The host over real HTTP on a loopback port: listing, checks, calls, per-record errors, crashes, limits, health. */
class FunctionHostTest {
    private static FunctionHost host;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        host = FunctionHost.start("127.0.0.1", 0, 2, 64 * 1024, Invoker.fromClassPath(FunctionHostTest.class.getClassLoader()));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] request(String function, Map<String, Object> params, Record... records) {
        List<RemoteProtocol.Call> calls = new java.util.ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            calls.add(new RemoteProtocol.Call("p/s/t-0@" + i + "#0", records[i]));
        }
        return RemoteProtocol.encode(new RemoteProtocol.Request(function, "p", "s", params, calls));
    }

    @Test
    void nagleIsOffSoSmallAnswersAreNotHeldForTheClientsDelayedAck() {
        // What it costs when on: 45 ms per call instead of 2 on loopback (bench/run.sh --remote shows the rate).
        assertEquals("true", System.getProperty(FunctionHost.NO_DELAY));
    }

    @Test
    void listsItsFunctionsAndAnswersHealthChecks() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        assertEquals(200, get("/readyz").statusCode());
        List<String> names = RemoteProtocol.decodeListing(get("/v1/functions").body());
        assertTrue(names.containsAll(List.of("email_domain", "crashing", "lookup", "derive")), names.toString());
    }

    @Test
    void checksParametersAsTheFunctionDoes() throws Exception {
        assertEquals(200, post("/v1/functions/email_domain/check", RemoteProtocol.check(Map.of("field", "email",
                "into", "domain"))).statusCode());
        HttpResponse<byte[]> bad = post("/v1/functions/email_domain/check", RemoteProtocol.check(Map.of("field", "email",
                "ito", "domain")));
        assertEquals(422, bad.statusCode());
        assertTrue(RemoteProtocol.errorOf(bad.body()).contains("unknown parameter 'ito'"), RemoteProtocol.errorOf(bad.body()));
        assertEquals(404, post("/v1/functions/nope/check", RemoteProtocol.check(Map.of())).statusCode());
    }

    @Test
    void callsAFunctionPerRecordWithErrorsPerRecord() throws Exception {
        HttpResponse<byte[]> reply = post("/v1/functions/email_domain", request("email_domain",
                Map.of("field", "email", "into", "domain"), new Record().set("email", "Ann@Example.COM"),
                new Record().set("email", "no-domain@"), new Record()));
        assertEquals(200, reply.statusCode());
        RemoteProtocol.Response response = RemoteProtocol.decodeResponse(reply.body());
        assertEquals(List.of(new Record().set("email", "Ann@Example.COM").set("domain", "example.com")),
                response.outcomes().get(0).records());
        assertTrue(response.outcomes().get(1).error().contains("'email' has no domain after '@'"),
                response.outcomes().get(1).error());
        assertEquals(List.of(new Record()), response.outcomes().get(2).records());
    }

    @Test
    void countersComeBackPerBatchAndACrashFailsTheBatch() throws Exception {
        RemoteProtocol.Response counted = RemoteProtocol.decodeResponse(post("/v1/functions/crashing", request("crashing",
                Map.of(), new Record().set("mode", "ok"), new Record().set("mode", "throw"))).body());
        assertEquals(Map.of("seen", 2L), counted.counters());
        assertEquals("function 'crashing' failed: java.lang.IllegalArgumentException: no mode for you",
                counted.outcomes().get(1).error());
        HttpResponse<byte[]> crash = post("/v1/functions/crashing", request("crashing", Map.of(),
                new Record().set("mode", "ok"), new Record().set("mode", "crash")));
        assertEquals(500, crash.statusCode());
        assertEquals("function 'crashing' crashed on record p/s/t-0@1#0: java.lang.StackOverflowError: deep",
                RemoteProtocol.errorOf(crash.body()));
    }

    @Test
    void refusesWhatIsNotTheProtocolAndWhatIsTooLarge() throws Exception {
        assertEquals(400, post("/v1/functions/crashing", "{\"protocol\":9}".getBytes()).statusCode());
        assertEquals(405, get("/v1/functions/crashing").statusCode());
        assertEquals(404, get("/elsewhere").statusCode());
        HttpResponse<byte[]> tooLarge = post("/v1/functions/crashing", request("crashing", Map.of(),
                new Record().set("mode", "x".repeat(70 * 1024))));
        assertEquals(413, tooLarge.statusCode());
        assertEquals("close", tooLarge.headers().firstValue("Connection").orElse(""),
                "the unread body ends the connection, and the client is told not to reuse it");
        assertEquals(200, get("/v1/functions").statusCode(), "the next call on the same client works");
    }
}
