package dev.midstream.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a dead letter keeps of the rejected payload: everything ({@code raw}, the default, so a record can be fixed
 * and replayed), the payload with every email and the values of the pipeline's personal-data fields replaced
 * ({@code redact}), or nothing but its size ({@code drop}).
 */
public enum PayloadPolicy {
    RAW,
    REDACT,
    DROP;

    /**
     * An email address, wherever it stands in a text. A match starts only where a run of local-part characters
     * starts, and takes the run whole: otherwise a long run without an {@code @} (an oversized payload of one
     * letter) is scanned again from each of its characters, quadratic in its length.
     */
    public static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    /** Matches the string value of the JSON field {@code name} anywhere in a payload. */
    static Pattern fieldValue(String name) {
        return Pattern.compile("(\"" + Pattern.quote(name) + "\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*(\")");
    }

    /**
     * What a report may show of a payload a dead letter stored under this policy: nothing under {@code drop}; else
     * the text with every email and the values of {@code piiFields} hidden — whatever the policy kept, because a page
     * is read by more people than the table — cut to {@code maxChars}.
     */
    public String shown(byte[] stored, List<String> piiFields, int maxChars) {
        if (this == DROP || stored == null || stored.length == 0) {
            return null;
        }
        String text = new String(REDACT.apply(stored, piiFields.stream().map(PayloadPolicy::fieldValue).toList()),
                StandardCharsets.UTF_8);
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
    }

    /** The payload to keep; never null unless the input is. {@code piiFields} are patterns from {@link #fieldValue}. */
    byte[] apply(byte[] payload, List<Pattern> piiFields) {
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
                for (Pattern field : piiFields) {
                    text = field.matcher(text).replaceAll("$1<redacted>$2");
                }
                yield text.getBytes(StandardCharsets.ISO_8859_1);
            }
        };
    }
}
