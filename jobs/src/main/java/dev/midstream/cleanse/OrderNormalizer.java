package dev.midstream.cleanse;

import dev.midstream.orders.OrderEvent;
import dev.midstream.orders.OrderSchema;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.Locale;

/**
 * Validated event in, canonical event out: text trimmed, emails and codes case-folded, phones reduced to
 * their digits, the amount at the
 * currency's scale. Event times are already UTC instants (parsed by the validator). Never fails: every
 * value it touches passed validation.
 */
public class OrderNormalizer implements MapFunction<OrderEvent, OrderEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public OrderEvent map(OrderEvent event) {
        event.orderId = event.orderId.strip();
        event.customerId = event.customerId.strip();
        event.customerEmail = event.customerEmail.strip().toLowerCase(Locale.ROOT);
        event.customerPhone = event.customerPhone == null ? null : digitsOf(event.customerPhone);
        event.currency = event.currency.strip().toUpperCase(Locale.ROOT);
        event.status = event.status.strip().toLowerCase(Locale.ROOT);
        event.channel = event.channel == null ? null : event.channel.strip().toLowerCase(Locale.ROOT);
        // Exact: the validator rejected amounts with more decimals than the currency has.
        event.amount = event.amount.setScale(OrderSchema.CURRENCY_SCALES.get(event.currency));
        return event;
    }

    /** {@code +1 (415) 555-0123} and {@code 1.415.555.0123} are the same phone: {@code 14155550123}. */
    static String digitsOf(String phone) {
        StringBuilder digits = new StringBuilder(phone.length());
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }
}
