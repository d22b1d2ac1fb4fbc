package dev.midstream.cleanse;

import static dev.midstream.orders.OrderSchema.*;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.orders.OrderEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the fields of one order JSON object against {@link dev.midstream.orders.OrderSchema}, collecting
 * every violation rather than stopping at the first, so a dead letter can say all that is wrong.
 * Comparisons ignore case and surrounding whitespace; canonical forms are the normalizer's job.
 */
final class OrderFieldReader {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$");
    private static final Pattern PHONE_CHARS = Pattern.compile("^\\+?[0-9 ()./-]+$");

    private final JsonNode root;
    private final ValidationSettings settings;
    private final List<Violation> violations = new ArrayList<>(2);

    OrderFieldReader(JsonNode root, ValidationSettings settings) {
        this.root = root;
        this.settings = settings;
    }

    /** The event if every rule holds; otherwise null and {@link #violations()} says why. */
    OrderEvent read() {
        OrderEvent event = new OrderEvent();
        event.orderId = text(ORDER_ID, true, MAX_ID_LENGTH);
        event.customerId = text(CUSTOMER_ID, true, MAX_ID_LENGTH);
        event.customerEmail = email();
        event.customerPhone = phone();
        event.currency = currency();
        event.amount = amount(event.currency);
        event.status = status();
        event.channel = text(CHANNEL, false, MAX_CHANNEL_LENGTH);
        event.eventTime = eventTime();
        return violations.isEmpty() ? event : null;
    }

    List<Violation> violations() {
        return violations;
    }

    private String text(String field, boolean required, int maxLength) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                violations.add(Violation.of(field, "required", "is missing"));
            }
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.of(field, "type", "expected a string, got " + kind(node)));
            return null;
        }
        String value = node.textValue();
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            if (required) {
                violations.add(Violation.of(field, "required", "is blank"));
            }
            return null;
        }
        if (!printable(trimmed)) {
            // PostgreSQL text cannot hold NUL, and an unpaired surrogate cannot be encoded as UTF-8: refuse here,
            // or the sink would fail on the row and restart the job over and over.
            violations.add(Violation.of(field, "characters",
                    "contains a control character or an unpaired surrogate"));
            return null;
        }
        if (trimmed.length() > maxLength) {
            violations.add(Violation.of(field, "max_length",
                    "is " + trimmed.length() + " characters, at most " + maxLength + " allowed"));
            return null;
        }
        return value;
    }

    /** No control characters (C0, DEL, C1) and no unpaired surrogates. */
    static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private String email() {
        String value = text(CUSTOMER_EMAIL, true, MAX_EMAIL_LENGTH);
        if (value != null && !EMAIL.matcher(value.strip()).matches()) {
            violations.add(Violation.of(CUSTOMER_EMAIL, "format", "is not an email address"));
            return null;
        }
        return value;
    }

    private String phone() {
        String value = text(CUSTOMER_PHONE, false, MAX_PHONE_LENGTH);
        if (value == null) {
            return null;
        }
        long digits = value.chars().filter(Character::isDigit).count();
        if (!PHONE_CHARS.matcher(value.strip()).matches() || digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS) {
            violations.add(Violation.of(CUSTOMER_PHONE, "format",
                    "expected " + MIN_PHONE_DIGITS + " to " + MAX_PHONE_DIGITS + " digits with optional + ( ) - . and spaces"));
            return null;
        }
        return value;
    }

    private String currency() {
        String value = text(CURRENCY, true, 3 + 16);
        if (value != null && !CURRENCY_SCALES.containsKey(value.strip().toUpperCase(Locale.ROOT))) {
            violations.add(Violation.of(CURRENCY, "enum", "unknown currency, expected one of "
                    + new java.util.TreeSet<>(CURRENCY_SCALES.keySet())));
            return null;
        }
        return value;
    }

    private String status() {
        String value = text(STATUS, true, 32);
        if (value != null && !STATUSES.contains(value.strip().toLowerCase(Locale.ROOT))) {
            violations.add(Violation.of(STATUS, "enum",
                    "unknown status, expected one of " + new java.util.TreeSet<>(STATUSES)));
            return null;
        }
        return value;
    }

    private BigDecimal amount(String currency) {
        JsonNode node = root.get(AMOUNT);
        if (node == null || node.isNull()) {
            violations.add(Violation.of(AMOUNT, "required", "is missing"));
            return null;
        }
        if (!node.isNumber()) {
            violations.add(Violation.of(AMOUNT, "type", "expected a number, got " + kind(node)));
            return null;
        }
        BigDecimal amount = node.decimalValue();
        if (amount.signum() <= 0 || amount.compareTo(settings.maxAmount()) > 0) {
            violations.add(Violation.of(AMOUNT, "range",
                    "must be greater than 0 and at most " + settings.maxAmount().toPlainString()));
            return null;
        }
        if (currency != null) {
            int scale = CURRENCY_SCALES.get(currency.strip().toUpperCase(Locale.ROOT));
            if (amount.stripTrailingZeros().scale() > scale) {
                violations.add(Violation.of(AMOUNT, "scale",
                        "has more than " + scale + " decimal places for " + currency.strip().toUpperCase(Locale.ROOT)));
                return null;
            }
        }
        return amount;
    }

    private Instant eventTime() {
        JsonNode node = root.get(EVENT_TIME);
        if (node == null || node.isNull()) {
            violations.add(Violation.of(EVENT_TIME, "required", "is missing"));
            return null;
        }
        Instant instant;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            instant = Instant.ofEpochMilli(node.longValue());
        } else if (node.isTextual()) {
            try {
                instant = EventTimes.parse(node.textValue().strip(), settings.localTimeZone());
            } catch (DateTimeParseException e) {
                violations.add(Violation.of(EVENT_TIME, "format",
                        "expected ISO-8601 (with or without offset) or epoch milliseconds"));
                return null;
            }
        } else {
            violations.add(Violation.of(EVENT_TIME, "type",
                    "expected an ISO-8601 string or epoch milliseconds, got " + kind(node)));
            return null;
        }
        if (instant.isBefore(MIN_EVENT_TIME) || !instant.isBefore(MAX_EVENT_TIME)) {
            violations.add(Violation.of(EVENT_TIME, "range",
                    "must be between " + MIN_EVENT_TIME + " and " + MAX_EVENT_TIME));
            return null;
        }
        return instant;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
