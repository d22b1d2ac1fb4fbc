package dev.midstream.cleanse;

import static dev.midstream.cleanse.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.orders.OrderEvent;
import dev.midstream.orders.OrderRow;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

class PiiMaskerTest {
    private static final byte[] SALT = "0123456789abcdef-test-salt".getBytes(StandardCharsets.UTF_8);
    private OneInputStreamOperatorTestHarness<OrderEvent, OrderRow> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new PiiMasker(SALT, DEAD_LETTERS));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static String sha256Hex(byte[] salt, String text) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(salt);
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void emailBecomesSaltedSha256AndPhoneKeepsLastFourDigits() throws Exception {
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        OrderRow row = harness.extractOutputValues().get(0);
        assertEquals(sha256Hex(SALT, "ann@example.com"), row.customerEmailHash);
        assertEquals("*******0123", row.customerPhoneMasked);
        assertEquals("A", row.orderId);
    }

    @Test
    void noRawPiiSurvivesInTheRow() throws Exception {
        harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
        String everything = harness.extractOutputValues().get(0).customerEmailHash + " "
                + harness.extractOutputValues().get(0).customerPhoneMasked;
        assertFalse(everything.contains("ann@example.com"));
        assertFalse(everything.contains("4155550123"));
    }

    @Test
    void differentSaltGivesDifferentHash() throws Exception {
        PiiMasker other = new PiiMasker("another-salt-of-16+bytes".getBytes(StandardCharsets.UTF_8), DEAD_LETTERS);
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(other)) {
            h.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
            harness.processElement(event("A", "2026-11-01T00:00:00Z", "10.00", "created"), 0);
            assertNotEquals(harness.extractOutputValues().get(0).customerEmailHash,
                    h.extractOutputValues().get(0).customerEmailHash);
        }
    }

    @Test
    void missingPhoneStaysNull() throws Exception {
        OrderEvent e = event("A", "2026-11-01T00:00:00Z", "10.00", "created");
        e.customerPhone = null;
        harness.processElement(e, 0);
        assertNull(harness.extractOutputValues().get(0).customerPhoneMasked);
    }

    @Test
    void eventThatCannotBeMaskedGoesToDeadLettersNotThrough() throws Exception {
        OrderEvent noEmail = event("A", "2026-11-01T00:00:00Z", "10.00", "created");
        noEmail.customerEmail = " ";
        OrderEvent shortPhone = event("B", "2026-11-01T00:00:00Z", "10.00", "created");
        shortPhone.customerPhone = "12";
        harness.processElement(noEmail, 0);
        harness.processElement(shortPhone, 0);

        assertTrue(harness.extractOutputValues().isEmpty());
        var letters = harness.getSideOutput(DeadLetterFactory.TAG).stream().map(StreamRecord::getValue).toList();
        assertEquals(java.util.List.of("customer_email_unmaskable", "customer_phone_unmaskable"),
                letters.stream().map(d -> d.rule).toList());
        assertTrue(letters.stream().allMatch(d -> d.stage == Stage.MASK));
    }
}
