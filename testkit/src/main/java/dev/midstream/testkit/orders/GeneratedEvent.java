package dev.midstream.testkit.orders;

import org.apache.kafka.common.header.Header;

import java.util.List;

/**
 * One Kafka record the generator produced and what must become of it.
 *
 * @param key the order id (so one order's events stay in one partition, in order), or null
 * @param value the JSON bytes as a messy producer would send them; null for a tombstone
 * @param outcome what the job must do with it
 * @param stage for REJECTED, the dead-letter stage (source, parse, validation, dedup)
 * @param rule for REJECTED, the rule id
 * @param order for WRITTEN/DUPLICATE/STALE, the canonical version it carries
 * @param headers Kafka record headers to send with it (none for generated events; hostile ones in tests)
 */
public record GeneratedEvent(
        byte[] key, byte[] value, Outcome outcome, String stage, String rule, CanonicalOrder order, List<Header> headers) {

    public GeneratedEvent(byte[] key, byte[] value, Outcome outcome, String stage, String rule, CanonicalOrder order) {
        this(key, value, outcome, stage, rule, order, List.of());
    }

    public GeneratedEvent withHeaders(List<Header> more) {
        return new GeneratedEvent(key, value, outcome, stage, rule, order, List.copyOf(more));
    }
}
