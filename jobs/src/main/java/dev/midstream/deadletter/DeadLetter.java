package dev.midstream.deadletter;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record some stage refused, with everything needed to understand and replay it: the stage and rule,
 * the field, a human-readable reason, the source position and the raw payload (possibly truncated).
 */
public class DeadLetter {
    public String pipeline;
    public Stage stage;
    public String rule;
    /** The declared step id when a pipeline step (a user function) rejected the record; else null. */
    public String step;
    /** The offending field, or null when the rule is about the whole record. */
    public String field;
    public String reason;

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    /** The raw payload, cut to the configured maximum; null for a tombstone. */
    public byte[] payload;
    /** The payload's original size in bytes; -1 for a tombstone. */
    public int payloadSize;
    public boolean payloadTruncated;
    public Instant rejectedAt;

    public DeadLetter() {}

    /** The stage as tables and topics show it: {@code validation}, {@code udf:<step id>}, … */
    public String stageLabel() {
        return step == null ? stage.id() : stage.id() + ":" + step;
    }

    /** The dead letter's identity: one per source record, so replays can be made idempotent. */
    public String sourcePosition() {
        return sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeadLetter d)) return false;
        return sourcePartition == d.sourcePartition && sourceOffset == d.sourceOffset
                && payloadSize == d.payloadSize && payloadTruncated == d.payloadTruncated
                && Objects.equals(pipeline, d.pipeline) && stage == d.stage && Objects.equals(rule, d.rule) && Objects.equals(step, d.step)
                && Objects.equals(field, d.field) && Objects.equals(reason, d.reason)
                && Objects.equals(sourceTopic, d.sourceTopic) && Arrays.equals(payload, d.payload)
                && Objects.equals(rejectedAt, d.rejectedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourceTopic, sourcePartition, sourceOffset, stage, rule);
    }

    /** No payload: it may hold PII. */
    @Override
    public String toString() {
        return "DeadLetter{" + stageLabel() + "/" + rule + (field == null ? "" : " field=" + field) + " at "
                + sourcePosition() + ": " + reason + "}";
    }
}
