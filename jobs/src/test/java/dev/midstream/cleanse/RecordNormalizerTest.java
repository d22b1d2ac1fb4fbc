package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.model.NormalizeSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.util.List;

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
}
