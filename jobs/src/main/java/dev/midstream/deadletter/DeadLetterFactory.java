package dev.midstream.deadletter;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

import java.io.Serializable;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds dead letters for one pipeline, cutting payloads to a configured size and applying the {@link PayloadPolicy}. Every operator that can
 * reject a record emits to {@link #TAG}; the topology unions those side outputs into one dead-letter stream.
 */
public final class DeadLetterFactory implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final String pipeline;
    private final int maxPayloadBytes;
    private final PayloadPolicy payloadPolicy;
    private final List<String> piiFields;
    private transient List<Pattern> piiPatterns;
    private final Clock clock;

    public String pipeline() {
        return pipeline;
    }

    public DeadLetterFactory(String pipeline, int maxPayloadBytes) {
        this(pipeline, maxPayloadBytes, PayloadPolicy.RAW, List.of());
    }

    /** {@code piiFields}: the JSON field names whose values {@code redact} replaces besides every email. */
    public DeadLetterFactory(String pipeline, int maxPayloadBytes, PayloadPolicy payloadPolicy, List<String> piiFields) {
        this(pipeline, maxPayloadBytes, payloadPolicy, piiFields, Clock.systemUTC());
    }

    DeadLetterFactory(String pipeline, int maxPayloadBytes, PayloadPolicy payloadPolicy, List<String> piiFields,
            Clock clock) {
        this.piiFields = List.copyOf(piiFields);
        this.pipeline = pipeline;
        this.maxPayloadBytes = maxPayloadBytes;
        this.payloadPolicy = payloadPolicy;
        this.clock = clock;
    }

    public DeadLetter create(
            Stage stage, String rule, String field, String reason,
            String topic, int partition, long offset, byte[] payload) {
        return create(stage, null, rule, field, reason, topic, partition, offset, payload);
    }

    /** A dead letter from a declared pipeline step, e.g. a user function ({@code udf:<step>}). */
    public DeadLetter create(
            Stage stage, String step, String rule, String field, String reason,
            String topic, int partition, long offset, byte[] payload) {
        DeadLetter letter = new DeadLetter();
        letter.step = step;
        letter.pipeline = pipeline;
        letter.stage = stage;
        letter.rule = rule;
        letter.field = field;
        letter.reason = reason;
        letter.sourceTopic = topic;
        letter.sourcePartition = partition;
        letter.sourceOffset = offset;
        letter.payloadSize = payload == null ? -1 : payload.length;
        letter.payloadTruncated = payload != null && payload.length > maxPayloadBytes;
        if (piiPatterns == null) {
            piiPatterns = piiFields.stream().map(PayloadPolicy::fieldValue).toList();
        }
        // Redacted whole, then cut: a value cut in half would no longer match its field's pattern.
        byte[] kept = payloadPolicy.apply(payload, piiPatterns);
        letter.payload = kept != null && kept.length > maxPayloadBytes ? Arrays.copyOf(kept, maxPayloadBytes) : kept;
        letter.rejectedAt = clock.instant();
        return letter;
    }
}
