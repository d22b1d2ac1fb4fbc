package dev.midstream.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What a dead letter keeps of the rejected payload: everything ({@code raw}, the default, so a record can be fixed
 * and replayed), the payload with emails and the phone field replaced ({@code redact}), or nothing but its size
 * ({@code drop}).
 */
public enum PayloadPolicy {
    RAW,
    REDACT,
    DROP;

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE_FIELD = Pattern.compile("(\"customer_phone\"\\s*:\\s*\")[^\"]*(\")");

    /** The payload to keep; never null unless the input is. */
    byte[] apply(byte[] payload) {
        if (payload == null) {
            return null;
        }
        return switch (this) {
            case RAW -> payload;
            case DROP -> new byte[0];
            case REDACT -> {
                // Latin-1 maps every byte to one char and back, so bytes that are not valid UTF-8 survive untouched;
                // the patterns are ASCII.
                String text = new String(payload, StandardCharsets.ISO_8859_1);
                text = EMAIL.matcher(text).replaceAll("<redacted-email>");
                text = PHONE_FIELD.matcher(text).replaceAll("$1<redacted-phone>$2");
                yield text.getBytes(StandardCharsets.ISO_8859_1);
            }
        };
    }
}
