package dev.midstream.testkit.orders;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One version of an order in canonical form: what the table row must hold (before masking) if this version wins.
 * {@code phoneDigits} is null when the event carries no phone.
 */
public record CanonicalOrder(
        String orderId, String customerId, String email, String phoneDigits, BigDecimal amount,
        String currency, String status, String channel, Instant eventTime) {

    CanonicalOrder withVersion(String status, BigDecimal amount, Instant eventTime) {
        return new CanonicalOrder(orderId, customerId, email, phoneDigits, amount, currency, status, channel, eventTime);
    }
}
