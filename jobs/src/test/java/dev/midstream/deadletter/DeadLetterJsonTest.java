package dev.midstream.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;

class DeadLetterJsonTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static DeadLetter letter(byte[] payload) {
        DeadLetter letter = new DeadLetter();
        letter.pipeline = "orders";
        letter.stage = Stage.VALIDATION;
        letter.rule = "amount_range";
        letter.field = "amount";
        letter.reason = "must be \"between\" 0 and 1000000\n";
        letter.sourceTopic = "ods.orders";
        letter.sourcePartition = 1;
        letter.sourceOffset = 42;
        letter.payload = payload;
        letter.payloadSize = payload == null ? 0 : payload.length;
        letter.rejectedAt = Instant.parse("2026-11-30T12:00:00.123Z");
        return letter;
    }

    @Test
    void everyFieldWithThePayloadInBase64() throws Exception {
        byte[] payload = "{\"amount\": -1, \"note\": \"\u00e9\u0000\"}".getBytes(StandardCharsets.UTF_8);
        JsonNode json = JSON.readTree(DeadLetterJson.value(letter(payload)));
        assertEquals("orders", json.path("pipeline").asText());
        assertEquals("validation", json.path("stage").asText());
        assertEquals("amount_range", json.path("rule").asText());
        assertEquals("amount", json.path("field").asText());
        assertEquals("must be \"between\" 0 and 1000000\n", json.path("reason").asText());
        assertEquals("ods.orders", json.at("/source/topic").asText());
        assertEquals(1, json.at("/source/partition").asInt());
        assertEquals(42, json.at("/source/offset").asLong());
        assertArrayEquals(payload, Base64.getDecoder().decode(json.path("payload_base64").asText()),
                "standard Base64 with padding, decodable by any consumer");
        assertEquals(payload.length, json.path("payload_size").asInt());
        assertEquals("2026-11-30T12:00:00.123Z", json.path("rejected_at").asText());
    }

    @Test
    void thePayloadIsTheBase64JacksonWroteForEveryLengthAndByte() throws Exception {
        Random random = new Random(19);
        for (int length = 0; length < 400; length++) {
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            JsonNode json = JSON.readTree(DeadLetterJson.value(letter(payload)));
            assertEquals(Base64Variants.getDefaultVariant().encode(payload), json.path("payload_base64").asText(),
                    "the text consumers of earlier versions read, length " + length);
            assertArrayEquals(payload, json.path("payload_base64").binaryValue(), "length " + length);
        }
    }

    @Test
    void aDroppedPayloadIsNull() throws Exception {
        JsonNode json = JSON.readTree(DeadLetterJson.value(letter(null)));
        assertTrue(json.has("payload_base64") && json.path("payload_base64").isNull(), json.toString());
    }
}
