package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.function.FunctionCatalog;
import dev.midstream.model.PipelineSpec;
import dev.midstream.reader.PipelineReader;
import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the generic chain as {@code pipelines/orders.yaml} declares it: validate (schema and
 * rules) → normalize → mask. Inputs are raw bytes or JSON objects whose fields are absent, of any JSON type or
 * nearly valid. Invariants: no exception escapes, exactly one outcome per input, what passes satisfies the file's schema and rules, and the masked record never
 * holds the raw email or phone. Runs in a JVM of its own (see the pom).
 */
class PipelineChainFuzzTest {
    private static final Set<String> CURRENCIES = Set.of("CHF", "CNY", "EUR", "GBP", "JPY", "KRW", "KWD", "USD");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIELDS = {"order_id", "customer_id", "customer_email", "customer_phone", "amount",
            "currency", "status", "channel", "event_time"};
    private static final Set<String> STATUSES = Set.of("created", "paid", "shipped", "delivered", "cancelled", "refunded");

    private static PipelineSpec orders;
    private static OneInputStreamOperatorTestHarness<RawRecord, FlowRecord> validator;
    private static OneInputStreamOperatorTestHarness<FlowRecord, FlowRecord> masker;
    private static RecordNormalizer normalizer;
    private static long offset;

    @FuzzTest(maxDuration = "15s")
    void chainKeepsItsInvariants(FuzzedDataProvider data) throws Exception {
        if (validator == null) {
            orders = PipelineReader.read(Path.of("../pipelines/orders.yaml"),
                    Map.of("MIDSTREAM_PII_SALT", "fuzz-salt-0123456789abcdef")::get, FunctionCatalog.load());
            validator = ProcessFunctionTestHarnesses.forProcessFunction(new RecordValidator(orders, 64 * 1024,
                    ZoneId.of("Asia/Shanghai"), new DeadLetterFactory("fuzz", 256)));
            masker = ProcessFunctionTestHarnesses.forProcessFunction(new RecordMasker(orders.pii()));
            normalizer = new RecordNormalizer(orders.normalize());
        }
        byte[] payload = data.consumeBoolean() ? json(data) : data.consumeRemainingAsBytes();
        validator.getOutput().clear();
        validator.processElement(new RawRecord("fuzz", 0, offset++, 0L, payload), 0);

        List<FlowRecord> passed = validator.extractOutputValues();
        var letters = validator.getSideOutput(DeadLetterFactory.TAG);
        assertEquals(1, passed.size() + (letters == null ? 0 : letters.size()), "exactly one outcome per input");
        if (letters != null) {
            letters.forEach(r -> assertFalse(r.getValue().reason.isBlank()));
            letters.clear();
        }
        if (passed.isEmpty()) {
            return;
        }
        FlowRecord record = normalizer.map(passed.get(0));
        assertSatisfiesTheFile(record.data);
        String rawEmail = record.data.getString("customer_email");
        String rawPhone = record.data.getString("customer_phone");

        masker.getOutput().clear();
        masker.processElement(record, 0);
        for (FlowRecord out : masker.extractOutputValues()) {
            // The PII fields themselves: another field may hold the same text (a fuzzed order id can), and that
            // field is not personal data.
            String email = out.data.getString("customer_email");
            assertTrue(email.matches("[0-9a-f]{64}") && !email.equals(rawEmail), "the email is hashed: " + email);
            String phone = out.data.getString("customer_phone");
            if (rawPhone != null) {
                assertTrue(phone.length() == rawPhone.length() && phone.endsWith(rawPhone.substring(Math.max(0,
                        rawPhone.length() - 4))) && phone.substring(0, Math.max(0, phone.length() - 4)).chars()
                        .allMatch(c -> c == '*'), "the phone keeps only its last four digits: " + phone);
            }
            assertEquals(null, out.payload, "the raw payload is dropped");
        }
    }

    private static void assertSatisfiesTheFile(Record r) {
        String orderId = r.getString("order_id");
        assertTrue(!orderId.isBlank() && orderId.strip().length() <= 64 && orderId.equals(orderId.strip()), orderId);
        assertTrue(SchemaReader.printable(orderId) && SchemaReader.printable(r.getString("customer_id")));
        assertTrue(CURRENCIES.contains(r.getString("currency")), r.getString("currency"));
        assertTrue(STATUSES.contains(r.getString("status")), r.getString("status"));
        BigDecimal amount = r.getDecimal("amount");
        assertTrue(amount.signum() > 0 && amount.compareTo(new BigDecimal("1000000")) <= 0, amount.toPlainString());
        int scale = Math.max(0, amount.stripTrailingZeros().scale());
        int allowed = switch (r.getString("currency")) {
            case "JPY", "KRW" -> 0;
            case "KWD" -> 3;
            default -> 2;
        };
        assertTrue(scale <= allowed, amount + " " + r.getString("currency"));
        Instant at = r.getInstant("event_time");
        assertTrue(!at.isBefore(Instant.parse("2000-01-01T00:00:00Z")) && at.isBefore(Instant.parse("2100-01-01T00:00:00Z")));
        String email = r.getString("customer_email");
        assertEquals(email, email.strip().toLowerCase(Locale.ROOT));
        String phone = r.getString("customer_phone");
        assertTrue(phone == null || phone.chars().allMatch(Character::isDigit), phone);
    }

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
            case "currency" -> data.pickValue(new String[] {"usd", " EUR", "JPY", "KWD", "xau"});
            case "status" -> data.pickValue(new String[] {"created", "PAID ", "lost"});
            case "customer_email" -> data.consumeString(12) + "@example.com";
            case "customer_phone" -> "+1 (415) " + data.consumeString(9);
            case "event_time" -> data.pickValue(new String[] {"2026-11-01T10:00:00+08:00", "2026-11-01 10:00:00",
                    "1999-01-01T00:00:00Z", data.consumeString(30)});
            case "amount" -> data.consumeString(12);
            default -> data.consumeString(70);
        };
    }
}
