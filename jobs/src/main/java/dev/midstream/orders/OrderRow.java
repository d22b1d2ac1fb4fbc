package dev.midstream.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** A row of the orders table: cleansed, deduplicated, PII masked. Never holds raw email or phone. */
public class OrderRow {
    public String orderId;
    public String customerId;
    /** Hex SHA-256 of the salted, normalized email. */
    public String customerEmailHash;
    /** Last four digits kept, the rest masked; null when the event had no phone. */
    public String customerPhoneMasked;
    public BigDecimal amount;
    public String currency;
    public String status;
    public String channel;
    public Instant eventTime;

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public OrderRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof OrderRow r)) return false;
        return sourcePartition == r.sourcePartition && sourceOffset == r.sourceOffset
                && Objects.equals(orderId, r.orderId) && Objects.equals(customerId, r.customerId)
                && Objects.equals(customerEmailHash, r.customerEmailHash)
                && Objects.equals(customerPhoneMasked, r.customerPhoneMasked)
                && Objects.equals(amount, r.amount) && Objects.equals(currency, r.currency)
                && Objects.equals(status, r.status) && Objects.equals(channel, r.channel)
                && Objects.equals(eventTime, r.eventTime) && Objects.equals(sourceTopic, r.sourceTopic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orderId, eventTime);
    }

    @Override
    public String toString() {
        return "OrderRow{" + orderId + " " + status + " " + amount + " " + currency + " @" + eventTime + "}";
    }
}
