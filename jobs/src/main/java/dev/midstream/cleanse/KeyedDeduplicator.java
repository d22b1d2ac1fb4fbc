package dev.midstream.cleanse;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.quality.QualityCount;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.DedupSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.util.List;

/**
 * The dedup step of a pipeline, keyed by its dedup key, with its state in {@link VersionGate}: the first record
 * of a key passes, a later one only with a newer version; an identical re-send is a duplicate, an older version stale (both
 * counted as deduplicated); the same version with other content goes to dead letters
 * ({@code dedup/conflicting_version}). Without a version field every record of a key has version 0. With
 * {@code version: $position} a change's version is its log position; a delete is remembered like an upsert, so for
 * the TTL a stale upsert that arrives after it is dropped, whether the table keeps the row flagged or not. A change
 * without a position (a PostgreSQL incremental-snapshot row) takes the one just after its key's latest.
 */
public class KeyedDeduplicator extends KeyedProcessFunction<String, FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final DedupSpec spec;
    private final DeadLetterFactory deadLetters;

    private transient VersionGate gate;

    public KeyedDeduplicator(DedupSpec spec, DeadLetterFactory deadLetters) {
        this.spec = spec;
        this.deadLetters = deadLetters;
    }

    /** The key as one string: the key fields' values joined with a separator no value can contain. */
    public static KeySelector<FlowRecord, String> keySelector(List<String> key) {
        return new JoinedKey(key);
    }

    /** A record (not a lambda) so that a task deserializing it interns the names again (see {@code FieldNames}). */
    private record JoinedKey(List<String> fields) implements KeySelector<FlowRecord, String> {
        JoinedKey {
            fields = fields.stream().map(String::intern).toList();
        }

        @Override
        public String getKey(FlowRecord record) {
            if (fields.size() == 1) {
                return String.valueOf(record.data.get(fields.get(0)));
            }
            StringBuilder joined = new StringBuilder();
            for (String field : fields) {
                joined.append(record.data.get(field)).append('\u0000');
            }
            return joined.toString();
        }
    }

    @Override
    public void open(OpenContext openContext) {
        gate = new VersionGate(getRuntimeContext(), spec.ttl(), new StageMetrics(getRuntimeContext().getMetricGroup()));
    }

    @Override
    public void processElement(FlowRecord record, Context ctx, Collector<FlowRecord> out) throws Exception {
        long version;
        long minor = 0;
        if (spec.byPosition()) {
            if (record.positionMajor == FlowRecord.AFTER_LATEST) {
                long[] after = gate.afterLatest();
                record.positionMajor = after[0];
                record.positionMinor = after[1];
            }
            version = record.positionMajor;
            minor = record.positionMinor;
        } else {
            version = version(record.data);
        }
        long fingerprint = record.deleted ? Fingerprint.mix(Fingerprint.of(record.data), "\u0000deleted")
                : Fingerprint.of(record.data);
        VersionGate.Verdict verdict = gate.admit(version, minor, fingerprint);
        switch (verdict) {
            case PASS -> out.collect(record);
            case CONFLICT -> ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.DEDUP, "conflicting_version",
                    null, "same key" + (spec.version() == null ? "" : " and " + spec.version())
                            + " as an earlier record but different content", record.sourceTopic,
                    record.sourcePartition, record.sourceOffset, record.payload));
            case STALE, DUPLICATE -> ctx.output(QualityCount.TAG, new QualityCount(deadLetters.pipeline(),
                    QualityCount.DEDUPLICATED, "dedup", verdict == VersionGate.Verdict.STALE ? "stale" : "duplicate",
                    record.sourceTopic, record.sourcePartition, 1));
        }
    }

    private long version(Record data) {
        if (spec.version() == null) {
            return 0;
        }
        Object value = data.get(spec.version());
        return value instanceof Instant instant ? instant.toEpochMilli() : (Long) value;
    }
}
