package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.orders.OrderEvent;
import dev.midstream.orders.OrderRow;
import dev.midstream.orders.OrderSchema;
import dev.midstream.source.RawRecord;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Coverage-guided fuzzing of parse → validate → normalize → mask (Jazzer). Inputs are raw bytes or JSON objects
 * whose fields the fuzzer fills with strings, numbers, booleans and nesting. Invariants: no exception escapes an
 * operator; every input becomes exactly one event or one dead letter; what passes satisfies the schema; a masked
 * row never contains the raw email or phone. {@code mvn test} fuzzes for the maxDuration (JAZZER_FUZZ=1 in the pom).
 */
class CleanseChainFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIELDS = {OrderSchema.ORDER_ID, OrderSchema.CUSTOMER_ID, OrderSchema.CUSTOMER_EMAIL,
            OrderSchema.CUSTOMER_PHONE, OrderSchema.AMOUNT, OrderSchema.CURRENCY, OrderSchema.STATUS, OrderSchema.CHANNEL,
            OrderSchema.EVENT_TIME};
    private static final byte[] SALT = "fuzz-salt-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private static OneInputStreamOperatorTestHarness<RawRecord, OrderEvent> validator;
    private static OneInputStreamOperatorTestHarness<OrderEvent, OrderRow> masker;
    private static final OrderNormalizer NORMALIZER = new OrderNormalizer();
    private static long offset;

    @FuzzTest(maxDuration = "15s")
    void chainKeepsItsInvariants(FuzzedDataProvider data) throws Exception {
        if (validator == null) {
            validator = ProcessFunctionTestHarnesses.forProcessFunction(
                    new OrderValidator(Fixtures.SETTINGS, new DeadLetterFactory("fuzz", 256)));
            masker = ProcessFunctionTestHarnesses.forProcessFunction(new PiiMasker(SALT, new DeadLetterFactory("fuzz", 256)));
        }
        byte[] payload = data.consumeBoolean() ? json(data) : data.consumeRemainingAsBytes();
        validator.getOutput().clear();
        validator.processElement(new RawRecord("fuzz", 0, offset++, 0L, payload), 0);

        List<OrderEvent> events = validator.extractOutputValues();
        int letters = validator.getSideOutput(DeadLetterFactory.TAG) == null ? 0 : validator.getSideOutput(DeadLetterFactory.TAG).size();
        assertEquals(1, events.size() + letters, "exactly one outcome per input");
        if (validator.getSideOutput(DeadLetterFactory.TAG) != null) {
            validator.getSideOutput(DeadLetterFactory.TAG).forEach(r -> assertFalse(r.getValue().reason.isBlank()));
            validator.getSideOutput(DeadLetterFactory.TAG).clear();
        }
        if (events.isEmpty()) {
            return;
        }
        OrderEvent event = NORMALIZER.map(events.get(0));
        assertSatisfiesSchema(event);
        String rawEmail = event.customerEmail;
        String rawPhone = event.customerPhone;

        masker.getOutput().clear();
        masker.processElement(event, 0);
        for (OrderRow row : masker.extractOutputValues()) {
            String text = String.join("|", row.orderId, row.customerId, row.customerEmailHash,
                    String.valueOf(row.customerPhoneMasked), row.currency, row.status, String.valueOf(row.channel));
            assertFalse(text.contains(rawEmail), "raw email in the row");
            if (rawPhone != null) {
                assertFalse(String.valueOf(row.customerPhoneMasked).contains(rawPhone), "raw phone in the row");
            }
        }
        if (masker.getSideOutput(DeadLetterFactory.TAG) != null) {
            masker.getSideOutput(DeadLetterFactory.TAG).clear();
        }
    }

    private static void assertSatisfiesSchema(OrderEvent e) {
        assertTrue(!e.orderId.isBlank() && e.orderId.length() <= OrderSchema.MAX_ID_LENGTH, e.orderId);
        assertTrue(OrderFieldReader.printable(e.orderId) && OrderFieldReader.printable(e.customerId));
        assertTrue(OrderSchema.CURRENCY_SCALES.containsKey(e.currency), e.currency);
        assertTrue(OrderSchema.STATUSES.contains(e.status), e.status);
        assertEquals(OrderSchema.CURRENCY_SCALES.get(e.currency).intValue(), e.amount.scale());
        assertTrue(e.amount.signum() > 0 && e.amount.compareTo(Fixtures.SETTINGS.maxAmount()) <= 0, e.amount.toPlainString());
        assertTrue(!e.eventTime.isBefore(OrderSchema.MIN_EVENT_TIME) && e.eventTime.isBefore(OrderSchema.MAX_EVENT_TIME));
        assertEquals(e.customerEmail, e.customerEmail.strip().toLowerCase(Locale.ROOT));
        assertTrue(e.customerPhone == null || e.customerPhone.chars().allMatch(Character::isDigit), e.customerPhone);
    }

    /** A JSON object with fuzzed values in the order fields (a near-valid event is one mutation away). */
    static byte[] json(FuzzedDataProvider data) throws Exception {
        ObjectNode node = JSON.createObjectNode();
        for (String field : FIELDS) {
            switch (data.consumeInt(0, 7)) {
                case 0 -> { } // absent
                case 1 -> node.put(field, data.consumeString(80));
                case 2 -> node.put(field, data.consumeLong());
                case 3 -> node.put(field, data.consumeDouble());
                case 4 -> node.put(field, data.consumeBoolean());
                case 5 -> node.putObject(field).put("v", data.consumeString(10));
                case 6 -> node.putNull(field);
                default -> node.put(field, plausible(field, data));
            }
        }
        return JSON.writeValueAsBytes(node);
    }

    private static String plausible(String field, FuzzedDataProvider data) {
        return switch (field) {
            case OrderSchema.CURRENCY -> data.pickValue(new String[] {"usd", " EUR", "JPY", "KWD", "xau"});
            case OrderSchema.STATUS -> data.pickValue(new String[] {"created", "PAID ", "lost"});
            case OrderSchema.CUSTOMER_EMAIL -> data.consumeString(12) + "@example.com";
            case OrderSchema.CUSTOMER_PHONE -> "+1 (415) " + data.consumeString(9);
            case OrderSchema.EVENT_TIME -> data.pickValue(new String[] {"2026-11-01T10:00:00+08:00", "2026-11-01 10:00:00",
                    "1999-01-01T00:00:00Z", data.consumeString(30)});
            case OrderSchema.AMOUNT -> data.consumeString(12);
            default -> data.consumeString(70);
        };
    }
}
