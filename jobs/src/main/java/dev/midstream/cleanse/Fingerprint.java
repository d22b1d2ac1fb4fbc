package dev.midstream.cleanse;

import dev.midstream.record.InstantText;
import dev.midstream.udf.Record;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * FNV-1a over a record's fields, names and values in order, each value as its text in UTF-8 and each text closed
 * by a 0x100 step: what the deduplicator keeps per key to tell a re-send from a conflicting version. The values
 * are in savepoints, so the function must not change; this computes it without building the texts and their
 * bytes for the common values (ASCII text, whole numbers) and falls back to them for the rest.
 */
final class Fingerprint implements BiConsumer<String, Object> {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private long hash = OFFSET;

    private Fingerprint() {}

    static long of(Record data) {
        Fingerprint fingerprint = new Fingerprint();
        data.forEach(fingerprint);
        return fingerprint.hash;
    }

    /** {@code hash} continued with {@code text}, as one more value. */
    static long mix(long hash, String text) {
        Fingerprint fingerprint = new Fingerprint();
        fingerprint.hash = hash;
        fingerprint.mixText(text);
        return fingerprint.hash;
    }

    @Override
    public void accept(String name, Object value) {
        mixText(name);
        if (value instanceof String s) {
            mixText(s);
        } else if (value instanceof Long l) {
            mixWholeNumber(l);
        } else if (value instanceof Record nested) {
            mixText(Long.toHexString(of(nested)));
        } else if (value instanceof BigDecimal d) {
            mixText(d.stripTrailingZeros().toPlainString());
        } else if (value instanceof Instant instant) {
            mixText(InstantText.of(instant));
        } else {
            mixText(String.valueOf(value));
        }
    }

    private void mixText(String text) {
        long h = hash;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                mixUtf8(text);
                return;
            }
            h = (h ^ c) * PRIME;
        }
        hash = (h ^ 0x100) * PRIME;
    }

    private void mixUtf8(String text) {
        long h = hash;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * PRIME;
        }
        hash = (h ^ 0x100) * PRIME;
    }

    /** The digits of {@code Long.toString(value)}, without the string. */
    private void mixWholeNumber(long value) {
        if (value == Long.MIN_VALUE) {
            mixText(Long.toString(value));
            return;
        }
        long h = hash;
        long v = value;
        if (v < 0) {
            h = (h ^ '-') * PRIME;
            v = -v;
        }
        long unit = 1;
        while (unit <= v / 10) {
            unit *= 10;
        }
        for (; unit > 0; unit /= 10) {
            h = (h ^ ('0' + (v / unit) % 10)) * PRIME;
        }
        hash = (h ^ 0x100) * PRIME;
    }
}
