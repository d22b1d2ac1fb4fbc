package dev.midstream.deadletter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

class DeadLetterFactoryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);
    private static final String PAYLOAD = "{\"order_id\":\"A-1\",\"customer_email\":\" Ann.Lee@Example.COM\","
            + "\"customer_phone\":\"+1 (415) 555-0123\",\"amount\":\"ten\",\"event_time\":1793498400000}";

    private static DeadLetter letter(PayloadPolicy policy, byte[] payload, int max) {
        return new DeadLetterFactory("orders", max, policy, java.util.List.of("customer_phone"), CLOCK)
                .create(Stage.VALIDATION, "amount_type", "amount", "amount: expected a number", "ods.orders", 1, 42, payload);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rawKeepsThePayloadAndItsProvenance() {
        DeadLetter d = letter(PayloadPolicy.RAW, utf8(PAYLOAD), 1024);
        assertArrayEquals(utf8(PAYLOAD), d.payload);
        assertEquals("ods.orders-1@42", d.sourcePosition());
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), d.rejectedAt);
        assertEquals(PAYLOAD.length(), d.payloadSize);
        assertFalse(d.payloadTruncated);
    }

    @Test
    void redactRemovesEmailsAndThePiiFieldsButKeepsTheRest() {
        String kept = new String(letter(PayloadPolicy.REDACT, utf8(PAYLOAD), 1024).payload, StandardCharsets.UTF_8);
        assertEquals("{\"order_id\":\"A-1\",\"customer_email\":\" <redacted-email>\",\"customer_phone\":\"<redacted>\","
                + "\"amount\":\"ten\",\"event_time\":1793498400000}", kept);
    }

    @Test
    void redactReplacesTheFieldsAPipelineDeclaresAsPii() {
        DeadLetterFactory factory = new DeadLetterFactory("customers", 1024, PayloadPolicy.REDACT,
                java.util.List.of("phone", "street"), java.time.Clock.systemUTC());
        String payload = "{\"id\":\"c1\",\"phone\":\"+1 \\\"415\\\" 555\",\"address\":{\"street\":\"1 Main St\","
                + "\"city\":\"Rome\"},\"customer_phone\":\"kept: not declared here\"}";
        String kept = new String(factory.create(Stage.VALIDATION, "r", null, "why", "t", 0, 1, utf8(payload)).payload,
                StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"c1\",\"phone\":\"<redacted>\",\"address\":{\"street\":\"<redacted>\",\"city\":\"Rome\"},"
                + "\"customer_phone\":\"kept: not declared here\"}", kept);
    }

    @Test
    void redactLeavesBytesThatAreNotUtf8Untouched() {
        byte[] broken = {'{', (byte) 0xFF, 'a', '@', 'b', '.', 'c', 'o', '}'};
        byte[] kept = letter(PayloadPolicy.REDACT, broken, 1024).payload;
        assertEquals((byte) 0xFF, kept[1]);
        assertTrue(new String(kept, StandardCharsets.ISO_8859_1).contains("<redacted-email>"));
    }

    @Test
    void dropKeepsOnlyTheSize() {
        DeadLetter d = letter(PayloadPolicy.DROP, utf8(PAYLOAD), 1024);
        assertEquals(0, d.payload.length);
        assertEquals(PAYLOAD.length(), d.payloadSize);
    }

    @Test
    void oversizedPayloadIsCutAndFlagged() {
        DeadLetter d = letter(PayloadPolicy.RAW, utf8(PAYLOAD), 16);
        assertEquals(16, d.payload.length);
        assertTrue(d.payloadTruncated);
        assertEquals(PAYLOAD.length(), d.payloadSize);
    }

    @Test
    void aPayloadCutInsideAPiiValueLeavesNothingOfIt() {
        // 40 bytes end inside the email: cut first, neither pattern would match what is left of it
        DeadLetter d = letter(PayloadPolicy.REDACT, utf8(PAYLOAD), 40);
        String kept = new String(d.payload, StandardCharsets.UTF_8);
        assertFalse(kept.contains("Ann") || kept.contains("Lee@"), kept);
        assertTrue(d.payloadTruncated);
        assertEquals(40, d.payload.length);
    }

    @Test
    void aLongRunWithoutAnAtSignIsRedactedInLinearTime() {
        // Each start inside the run used to rescan it: 1 MB of one letter took minutes, a denial of service.
        byte[] run = utf8("{\"blob\":\"" + "x".repeat(1 << 20) + "\",\"email\":\"a@b.example\"}");
        DeadLetter d = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> letter(PayloadPolicy.REDACT, run, 2 << 20));
        assertTrue(new String(d.payload, StandardCharsets.UTF_8).endsWith("\"email\":\"<redacted-email>\"}"));
    }

    @Test
    void tombstoneHasNoPayloadUnderEveryPolicy() {
        for (PayloadPolicy policy : PayloadPolicy.values()) {
            DeadLetter d = letter(policy, null, 16);
            assertNull(d.payload);
            assertEquals(-1, d.payloadSize);
        }
    }
}
