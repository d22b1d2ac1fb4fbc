package dev.midstream.udf.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The wire protocol's codec: every value type round-trips exactly, and broken messages say what is wrong. */
class RemoteProtocolTest {
    private static Record everyType() {
        return new Record().set("id", "A-1").set("count", 42L).set("amount", new BigDecimal("12.300"))
                .set("paid", true).set("at", Instant.parse("2024-03-15T10:30:00.123456789Z"))
                .set("address", new Record().set("city", "Zürich").set("since", Instant.parse("2020-01-01T00:00:00Z")))
                .set("prices", List.of(new BigDecimal("1.10"), new BigDecimal("2"))).set("tags", List.of("a", "b"));
    }

    @Test
    void aRequestRoundTripsEveryValueType() throws Exception {
        RemoteProtocol.Request request = new RemoteProtocol.Request("fraud_score", "orders", "fraud",
                Map.of("threshold", new BigDecimal("0.8"), "mode", "strict"),
                List.of(new RemoteProtocol.Call("orders/fraud/t-0@1#0", everyType())));
        byte[] wire = RemoteProtocol.encode(request);
        String json = new String(wire, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"amount\":\"12.300\""), "decimals travel as strings: " + json);
        assertTrue(json.contains("\"types\":{\"amount\":\"decimal\",\"at\":\"timestamp\",\"address.since\":\"timestamp\","
                + "\"prices[]\":\"decimal\"}"), json);
        RemoteProtocol.Request back = RemoteProtocol.decodeRequest(wire);
        assertEquals(everyType(), back.calls().get(0).fields());
        assertEquals("orders/fraud/t-0@1#0", back.calls().get(0).id());
        assertEquals(Map.of("threshold", new BigDecimal("0.8"), "mode", "strict"), back.params());
        assertEquals(List.of("fraud_score", "orders", "fraud"), List.of(back.function(), back.pipeline(), back.step()));
    }

    @Test
    void aResponseRoundTripsRecordsErrorsAndCounters() throws Exception {
        RemoteProtocol.Response response = new RemoteProtocol.Response(List.of(
                RemoteProtocol.Outcome.of("a#0", List.of(everyType(), new Record().set("x", 1L))),
                RemoteProtocol.Outcome.of("b#0", List.of()),
                RemoteProtocol.Outcome.failed("c#0", "amount must be positive")), Map.of("scored", 2L));
        RemoteProtocol.Response back = RemoteProtocol.decodeResponse(RemoteProtocol.encode(response));
        assertEquals(response, back);
    }

    @Test
    void brokenMessagesSayWhatIsWrong() {
        assertEquals("protocol 2, this side speaks protocol 1", assertThrows(RemoteProtocol.ProtocolException.class,
                () -> RemoteProtocol.decodeResponse("{\"protocol\":2,\"results\":[]}".getBytes())).getMessage());
        assertEquals("result 'a' has neither 'records' nor 'error'", assertThrows(RemoteProtocol.ProtocolException.class,
                () -> RemoteProtocol.decodeResponse("{\"protocol\":1,\"results\":[{\"id\":\"a\"}]}".getBytes()))
                .getMessage());
        assertTrue(assertThrows(RemoteProtocol.ProtocolException.class, () -> RemoteProtocol.decodeResponse((
                "{\"protocol\":1,\"results\":[{\"id\":\"a\",\"records\":[{\"fields\":{\"n\":\"x\"},\"types\":{\"n\":"
                        + "\"decimal\"}}]}]}").getBytes())).getMessage().endsWith("n: 'x' is not a decimal"));
        assertTrue(assertThrows(RemoteProtocol.ProtocolException.class, () -> RemoteProtocol.decodeRequest(
                "not json".getBytes())).getMessage().startsWith("not valid JSON"));
        assertEquals("host down", RemoteProtocol.errorOf(RemoteProtocol.error("host down")));
        assertEquals("<html>502 Bad Gateway</html>", RemoteProtocol.errorOf("<html>502 Bad Gateway</html>".getBytes()));
    }
}
