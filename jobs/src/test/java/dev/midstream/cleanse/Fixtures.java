package dev.midstream.cleanse;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.orders.OrderEvent;
import dev.midstream.source.RawRecord;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

/** Shared test inputs for the cleanse operators. */
final class Fixtures {
    static final ValidationSettings SETTINGS =
            new ValidationSettings(1024, new BigDecimal("1000000"), ZoneId.of("Asia/Shanghai"));
    static final DeadLetterFactory DEAD_LETTERS = new DeadLetterFactory("orders", 512);

    static final String VALID = "{\"order_id\":\"A-1\",\"customer_id\":\" C-9 \",\"customer_email\":\" Ann.Lee@Example.COM\","
            + "\"customer_phone\":\"+1 (415) 555-0123\",\"amount\":12.5,\"currency\":\" usd\",\"status\":\"PAID \","
            + "\"channel\":\"Web\",\"event_time\":\"2026-11-01T10:00:00+08:00\"}";

    private static long offset;

    private Fixtures() {}

    static RawRecord raw(String json) {
        return new RawRecord("ods.orders", 0, offset++, 1L, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    static OrderEvent event(String orderId, String time, String amount, String status) {
        OrderEvent e = new OrderEvent();
        e.orderId = orderId;
        e.customerId = "C-1";
        e.customerEmail = "ann@example.com";
        e.customerPhone = "14155550123";
        e.amount = new BigDecimal(amount);
        e.currency = "USD";
        e.status = status;
        e.channel = "web";
        e.eventTime = Instant.parse(time);
        e.sourceTopic = "ods.orders";
        e.sourcePartition = 0;
        e.sourceOffset = offset++;
        e.payload = "{}".getBytes(StandardCharsets.UTF_8);
        return e;
    }
}
