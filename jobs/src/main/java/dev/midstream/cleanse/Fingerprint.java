package dev.midstream.cleanse;

import dev.midstream.orders.OrderEvent;

import java.nio.charset.StandardCharsets;

/** A 64-bit FNV-1a hash of an event's normalized content (everything but its id, version and provenance). */
final class Fingerprint {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fingerprint() {}

    static long of(OrderEvent e) {
        long hash = OFFSET_BASIS;
        hash = mix(hash, e.customerId);
        hash = mix(hash, e.customerEmail);
        hash = mix(hash, e.customerPhone);
        hash = mix(hash, e.amount.stripTrailingZeros().toPlainString());
        hash = mix(hash, e.currency);
        hash = mix(hash, e.status);
        hash = mix(hash, e.channel);
        return hash;
    }

    private static long mix(long hash, String value) {
        if (value != null) {
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= PRIME;
            }
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ; null differs from "".
        hash ^= value == null ? 0x1ff : 0x100;
        return hash * PRIME;
    }
}
