package dev.midstream.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * An order event that passed validation. Carries its provenance and its raw payload so that a later
 * stage (dedup, masking, sink) can still write a complete dead letter. Holds raw PII until {@code PiiMasker}.
 */
public class OrderEvent {
    public String orderId;
    public String customerId;
    public String customerEmail;
    /** Optional. */
    public String customerPhone;
    public BigDecimal amount;
    public String currency;
    public String status;
    /** Optional. */
    public String channel;
    public Instant eventTime;

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public byte[] payload;

    public OrderEvent() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof OrderEvent e)) return false;
        return sourcePartition == e.sourcePartition && sourceOffset == e.sourceOffset
                && Objects.equals(orderId, e.orderId) && Objects.equals(customerId, e.customerId)
                && Objects.equals(customerEmail, e.customerEmail) && Objects.equals(customerPhone, e.customerPhone)
                && Objects.equals(amount, e.amount) && Objects.equals(currency, e.currency)
                && Objects.equals(status, e.status) && Objects.equals(channel, e.channel)
                && Objects.equals(eventTime, e.eventTime) && Objects.equals(sourceTopic, e.sourceTopic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orderId, sourceTopic, sourcePartition, sourceOffset);
    }

    /** No PII: order id, version and provenance only. */
    @Override
    public String toString() {
        return "OrderEvent{" + orderId + " @" + eventTime + " from " + sourceTopic + "-" + sourcePartition + "@"
                + sourceOffset + "}";
    }
}
