package dev.midstream.cleanse;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.orders.OrderEvent;
import dev.midstream.orders.OrderRow;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Event with raw PII in, table row out: the email becomes the hex SHA-256 of salt + email, the phone keeps
 * only its last four digits, and the raw payload is dropped. An event that cannot be masked (no email, a
 * phone with fewer than four digits; validation normally prevents both) goes to dead letters rather than
 * through with its PII.
 */
public class PiiMasker extends ProcessFunction<OrderEvent, OrderRow> {
    private static final long serialVersionUID = 1L;
    private static final int PHONE_DIGITS_KEPT = 4;

    private final byte[] salt;
    private final DeadLetterFactory deadLetters;

    private transient MessageDigest sha256;
    private transient StageMetrics metrics;

    public PiiMasker(byte[] salt, DeadLetterFactory deadLetters) {
        this.salt = salt.clone();
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) throws NoSuchAlgorithmException {
        sha256 = MessageDigest.getInstance("SHA-256");
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(OrderEvent event, Context ctx, Collector<OrderRow> out) {
        if (event.customerEmail == null || event.customerEmail.isBlank()) {
            reject(ctx, event, "customer_email_unmaskable", "customer_email", "no email to hash");
            return;
        }
        String maskedPhone = null;
        if (event.customerPhone != null) {
            maskedPhone = maskPhone(event.customerPhone);
            if (maskedPhone == null) {
                reject(ctx, event, "customer_phone_unmaskable", "customer_phone",
                        "phone has fewer than " + PHONE_DIGITS_KEPT + " digits");
                return;
            }
        }
        OrderRow row = new OrderRow();
        row.orderId = event.orderId;
        row.customerId = event.customerId;
        row.customerEmailHash = hashEmail(event.customerEmail);
        row.customerPhoneMasked = maskedPhone;
        row.amount = event.amount;
        row.currency = event.currency;
        row.status = event.status;
        row.channel = event.channel;
        row.eventTime = event.eventTime;
        row.sourceTopic = event.sourceTopic;
        row.sourcePartition = event.sourcePartition;
        row.sourceOffset = event.sourceOffset;
        out.collect(row);
    }

    String hashEmail(String email) {
        sha256.reset();
        sha256.update(salt);
        return HexFormat.of().formatHex(sha256.digest(email.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code +1 (415) 555-0123} becomes {@code *******0123}; null if there are fewer than four digits. */
    static String maskPhone(String phone) {
        String digits = OrderNormalizer.digitsOf(phone);
        if (digits.length() < PHONE_DIGITS_KEPT) {
            return null;
        }
        int hidden = digits.length() - PHONE_DIGITS_KEPT;
        return "*".repeat(hidden) + digits.substring(hidden);
    }

    private void reject(Context ctx, OrderEvent event, String rule, String field, String reason) {
        metrics.rejected(Stage.MASK, rule);
        ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.MASK, rule, field, reason,
                event.sourceTopic, event.sourcePartition, event.sourceOffset, event.payload));
    }
}
