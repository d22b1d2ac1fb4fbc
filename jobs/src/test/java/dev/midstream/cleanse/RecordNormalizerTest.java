package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.model.NormalizeSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/** The {@code normalize:} operations, as the shipped orders pipeline file declares them. */
class RecordNormalizerTest {
    private final RecordNormalizer normalizer = new RecordNormalizer(Fixtures.ORDERS.normalize());

    private static FlowRecord messy() {
        return new FlowRecord(new Record().set("order_id", " A-1 ").set("customer_id", "\tC-1 ")
                .set("customer_email", "  Ann.Lee@Example.COM ").set("customer_phone", "+1 (415) 555-0123")
                .set("currency", " usd").set("status", "PAID ").set("channel", " Web"), "t", 0, 0, null);
    }

    @Test
    void textIsTrimmedAndCaseFolded() {
        Record r = normalizer.map(messy()).data;
        assertEquals("A-1", r.getString("order_id"));
        assertEquals("C-1", r.getString("customer_id"));
        assertEquals("ann.lee@example.com", r.getString("customer_email"));
        assertEquals("USD", r.getString("currency"));
        assertEquals("paid", r.getString("status"));
        assertEquals("web", r.getString("channel"));
    }

    @Test
    void phoneIsReducedToItsDigits() {
        assertEquals("14155550123", normalizer.map(messy()).data.getString("customer_phone"));
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        FlowRecord e = messy();
        e.data.set("customer_phone", null).set("channel", null);
        Record out = normalizer.map(e).data;
        assertNull(out.get("customer_phone"));
        assertNull(out.get("channel"));
    }

    @Test
    void operationsApplyInOrderAndSpacesCollapse() {
        assertEquals("a b", RecordNormalizer.apply("  A \t B ", List.of(NormalizeSpec.Op.COLLAPSE_SPACES,
                NormalizeSpec.Op.LOWER)));
        assertEquals("", RecordNormalizer.apply("no digits", List.of(NormalizeSpec.Op.DIGITS)));
    }

    @Test
    void cleanTextIsLeftAsTheSameInstance() {
        FlowRecord clean = new FlowRecord(new Record().set("order_id", "A-1").set("customer_email", "ann@example.com")
                .set("customer_phone", "14155550123").set("currency", "USD"), "t", 0, 0, null);
        String id = clean.data.getString("order_id");
        String email = clean.data.getString("customer_email");
        String phone = clean.data.getString("customer_phone");
        Record out = normalizer.map(clean).data;
        assertSame(id, out.getString("order_id"));
        assertSame(email, out.getString("customer_email"));
        assertSame(phone, out.getString("customer_phone"));
        assertEquals(List.of("order_id", "customer_email", "customer_phone", "currency"), List.copyOf(out.fieldNames()));
    }

    @Test
    void digitsAreKeptWhereverTheFirstNonDigitIs() {
        assertEquals("12", RecordNormalizer.digitsOf("1-2"));
        assertEquals("12", RecordNormalizer.digitsOf("12-"));
        assertEquals("12", RecordNormalizer.digitsOf("-12"));
        assertEquals("", RecordNormalizer.digitsOf(""));
    }

    @Test
    void spacesCollapseAsTheRegularExpressionDoes() {
        char[] alphabet = {' ', ' ', '\t', '\n', '\u000B', '\f', '\r', '\u2003', '\u00A0', 'a', 'b', 'c', 'Z'};
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String input = text.toString();
            assertEquals(input.strip().replaceAll("\\s+", " "),
                    RecordNormalizer.apply(input, List.of(NormalizeSpec.Op.COLLAPSE_SPACES)), () -> input.chars()
                            .mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat));
        }
    }
}
