package dev.midstream.cleanse;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.orders.OrderEvent;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

class OrderNormalizerTest {
    private final OrderNormalizer normalizer = new OrderNormalizer();

    private static OrderEvent messy() {
        OrderEvent e = Fixtures.event("A-1", "2026-11-01T00:00:00Z", "12.5", "created");
        e.orderId = " A-1 ";
        e.customerId = "\tC-1 ";
        e.customerEmail = "  Ann.Lee@Example.COM ";
        e.customerPhone = "+1 (415) 555-0123";
        e.currency = " usd";
        e.status = "PAID ";
        e.channel = " Web";
        return e;
    }

    @Test
    void textIsTrimmedAndCaseFolded() {
        OrderEvent e = normalizer.map(messy());
        assertEquals("A-1", e.orderId);
        assertEquals("C-1", e.customerId);
        assertEquals("ann.lee@example.com", e.customerEmail);
        assertEquals("USD", e.currency);
        assertEquals("paid", e.status);
        assertEquals("web", e.channel);
    }

    @Test
    void phoneIsReducedToItsDigits() {
        assertEquals("14155550123", normalizer.map(messy()).customerPhone);
    }

    @Test
    void amountTakesTheCurrencyScale() {
        OrderEvent usd = normalizer.map(messy());
        assertEquals(new BigDecimal("12.50"), usd.amount);
        assertEquals(2, usd.amount.scale());

        OrderEvent jpy = messy();
        jpy.currency = "jpy";
        jpy.amount = new BigDecimal("1500.0");
        assertEquals(new BigDecimal("1500"), normalizer.map(jpy).amount);
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        OrderEvent e = messy();
        e.customerPhone = null;
        e.channel = null;
        OrderEvent out = normalizer.map(e);
        assertNull(out.customerPhone);
        assertNull(out.channel);
    }
}
