package dev.midstream.orders;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** The declared schema of an {@code ods.orders} event: field names, limits and the allowed values. */
public final class OrderSchema {
    public static final String ORDER_ID = "order_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String CUSTOMER_EMAIL = "customer_email";
    public static final String CUSTOMER_PHONE = "customer_phone";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String STATUS = "status";
    public static final String CHANNEL = "channel";
    public static final String EVENT_TIME = "event_time";

    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_EMAIL_LENGTH = 254;
    public static final int MAX_PHONE_LENGTH = 32;
    public static final int MAX_CHANNEL_LENGTH = 32;
    public static final int MIN_PHONE_DIGITS = 7;
    public static final int MAX_PHONE_DIGITS = 15;

    /** ISO 4217 codes the shop accepts, with their minor-unit scale. */
    public static final Map<String, Integer> CURRENCY_SCALES = Map.of(
            "USD", 2, "EUR", 2, "GBP", 2, "CHF", 2, "CNY", 2, "JPY", 0, "KRW", 0, "KWD", 3);

    public static final Set<String> STATUSES =
            Set.of("created", "paid", "shipped", "delivered", "cancelled", "refunded");

    /** Event times outside this range are absurd, whatever their format. */
    public static final Instant MIN_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant MAX_EVENT_TIME = Instant.parse("2100-01-01T00:00:00Z");

    private OrderSchema() {}
}
