package dev.midstream.cleanse;

import static dev.midstream.cleanse.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The validate step with the schema and rules of the shipped {@code pipelines/orders.yaml}: what the orders data set
 * accepts, and every way a raw order event is rejected, named by stage, rule and field.
 */
class OrdersFileValidationTest {
    private OneInputStreamOperatorTestHarness<dev.midstream.source.RawRecord, FlowRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(ordersValidator());
    }

    private Record passed() {
        List<FlowRecord> out = harness.extractOutputValues();
        assertEquals(1, out.size(), String.valueOf(deadLetters()));
        return out.get(0).data;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(DeadLetterFactory.TAG);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void validEventIsTypedWithItsProvenance() throws Exception {
        harness.processElement(raw(VALID), 0);
        FlowRecord e = harness.extractOutputValues().get(0);
        assertEquals("A-1", e.data.getString("order_id"));
        assertEquals(new BigDecimal("12.500"), e.data.get("amount"));
        assertEquals(Instant.parse("2026-11-01T02:00:00Z"), e.data.get("event_time"));
        assertEquals("ods.orders", e.sourceTopic);
        assertArrayEquals(VALID.getBytes(java.nio.charset.StandardCharsets.UTF_8), e.payload);
        assertNull(harness.getSideOutput(DeadLetterFactory.TAG));
    }

    @Test
    void localTimeWithoutOffsetIsReadInTheConfiguredZone() throws Exception {
        harness.processElement(raw(VALID.replace("2026-11-01T10:00:00+08:00", "2026-11-01 10:00:00.250")), 0);
        assertEquals(Instant.parse("2026-11-01T02:00:00.250Z"), passed().get("event_time"));
    }

    @Test
    void epochMillisAreAccepted() throws Exception {
        harness.processElement(raw(VALID.replace("\"2026-11-01T10:00:00+08:00\"", "1793498400000")), 0);
        assertEquals(Instant.ofEpochMilli(1793498400000L), passed().get("event_time"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing order_id      | \"order_id\":\"A-1\",                 | \"x\":1,                          | order_id_required     | order_id",
        "blank customer_id     | \" C-9 \"                             | \"  \"                            | customer_id_required  | customer_id",
        "amount as string      | \"amount\":12.5                       | \"amount\":\"12.5\"               | amount_type           | amount",
        "negative amount       | \"amount\":12.5                       | \"amount\":-3                     | amount_range          | amount",
        "absurd amount         | \"amount\":12.5                       | \"amount\":1e400                  | amount_range          | amount",
        "too many decimals     | \"amount\":12.5                       | \"amount\":12.505                 | amount_scale          | -",
        "unknown currency      | \" usd\"                              | \"XAU\"                           | currency_enum         | currency",
        "unknown status        | \"PAID \"                             | \"lost\"                          | status_enum           | status",
        "bad email             | \" Ann.Lee@Example.COM\"              | \"ann.lee\"                       | customer_email_format | customer_email",
        "short phone           | \"+1 (415) 555-0123\"                 | \"555\"                           | customer_phone_format | customer_phone",
        "long order_id         | \"A-1\"                               | \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" | order_id_max_length | order_id",
        "event_time boolean    | \"2026-11-01T10:00:00+08:00\"         | true                              | event_time_type       | event_time",
        "event_time garbage    | 2026-11-01T10:00:00+08:00             | soon                              | event_time_format     | event_time",
        "event_time absurd     | 2026-11-01T10:00:00+08:00             | 1999-12-31T23:59:59Z              | event_time_range      | event_time",
        "NUL in a text field   | \" C-9 \"                             | \"C\\u00009\"                        | customer_id_characters | customer_id",
        "control character     | \"Web\"                               | \"W\\u0007eb\"                      | channel_characters    | channel",
        "unpaired surrogate    | \"A-1\"                               | \"A\\ud800\"                        | order_id_characters   | order_id",
    })
    void brokenRuleGoesToDeadLettersNamingRuleAndField(
            String description, String from, String to, String rule, String field) throws Exception {
        String json = VALID.replace(from.strip(), to.strip());
        assertNotEquals(VALID, json, "fixture substitution must apply");
        harness.processElement(raw(json), 0);

        assertTrue(harness.extractOutputValues().isEmpty());
        DeadLetter letter = deadLetters().get(0);
        assertEquals(Stage.VALIDATION, letter.stage);
        assertEquals(rule, letter.rule);
        // "-": the rule reads several fields (amount and currency) and names none; its reason starts with its id.
        assertEquals(field.equals("-") ? null : field, letter.field);
        assertTrue(letter.reason.startsWith((field.equals("-") ? rule : field) + ":"), letter.reason);
        assertEquals("ods.orders", letter.sourceTopic);
        assertArrayEquals(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), letter.payload);
    }

    @Test
    void emojiAndRightToLeftTextAreValid() throws Exception {
        harness.processElement(raw(VALID.replace("\" C-9 \"", "\"C-\uD83D\uDE00-\u05E9\u05DC\u05D5\u05DD\"")), 0);
        assertEquals("C-\uD83D\uDE00-\u05E9\u05DC\u05D5\u05DD", passed().getString("customer_id"));
    }

    @Test
    void byteOrderMarkBeforeTheJsonIsAccepted() throws Exception {
        byte[] json = VALID.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        harness.processElement(new dev.midstream.source.RawRecord("ods.orders", 0, 99, 1L, withBom), 0);
        assertEquals(1, harness.extractOutputValues().size(), String.valueOf(deadLetters()));
    }

    @Test
    void everyViolationIsNamedInTheReason() throws Exception {
        harness.processElement(raw(VALID.replace("\" usd\"", "\"XAU\"").replace("\"PAID \"", "\"lost\"")), 0);
        DeadLetter letter = deadLetters().get(0);
        assertEquals("currency_enum", letter.rule);
        assertTrue(letter.reason.contains("currency:") && letter.reason.contains("status:"), letter.reason);
    }

    @Test
    void malformedJsonIsAParseDeadLetter() throws Exception {
        harness.processElement(raw("{\"order_id\": \"A-1\","), 0);
        harness.processElement(raw("{\"order_id\":1,\"order_id\":\"A-1\"}"), 0);
        harness.processElement(raw("{} {}"), 0);
        assertEquals(List.of("malformed_json", "malformed_json", "malformed_json"),
                deadLetters().stream().map(d -> d.rule).toList());
        assertTrue(deadLetters().stream().allMatch(d -> d.stage == Stage.PARSE));
    }

    @Test
    void jsonThatIsNotAnObjectIsAParseDeadLetter() throws Exception {
        harness.processElement(raw("[1,2]"), 0);
        harness.processElement(raw("\"text\""), 0);
        harness.processElement(raw("   "), 0);
        assertEquals(List.of("not_an_object", "not_an_object", "not_an_object"),
                deadLetters().stream().map(d -> d.rule).toList());
    }

    @Test
    void tombstoneIsASourceDeadLetter() throws Exception {
        harness.processElement(raw(null), 0);
        DeadLetter letter = deadLetters().get(0);
        assertEquals(Stage.SOURCE, letter.stage);
        assertEquals("null_value", letter.rule);
        assertNull(letter.payload);
        assertEquals(-1, letter.payloadSize);
    }

    @Test
    void oversizedRecordIsRejectedUnparsedWithItsPayloadTruncated() throws Exception {
        String big = VALID.replace("}", ",\"blob\":\"" + "x".repeat(2000) + "\"}");
        harness.processElement(raw(big), 0);
        DeadLetter letter = deadLetters().get(0);
        assertEquals(Stage.SOURCE, letter.stage);
        assertEquals("payload_too_large", letter.rule);
        assertEquals(big.length(), letter.payloadSize);
        assertTrue(letter.payloadTruncated);
        assertEquals(512, letter.payload.length);
    }
}
