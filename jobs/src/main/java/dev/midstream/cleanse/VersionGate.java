package dev.midstream.cleanse;

import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;

import java.io.IOException;
import java.time.Duration;

/**
 * The dedup decision for the current key, with its state and counters: a newer version
 * passes (and is remembered), an older one is stale, the same version with the same fingerprint is a duplicate
 * (both counted as deduplicated), the same version with other content is a conflict for dead letters.
 */
final class VersionGate {
    /** The name of the dedup state: savepoints taken since the first release hold their entries under it. */
    static final String STATE_NAME = "latest-version";

    enum Verdict { PASS, STALE, DUPLICATE, CONFLICT }

    private final ValueState<DedupEntry> latest;
    private final StageMetrics metrics;
    private final Counter deduplicated;
    private final Counter duplicates;
    private final Counter stale;

    VersionGate(RuntimeContext context, Duration ttl, StageMetrics metrics) {
        this.latest = context.getState(stateDescriptor(ttl));
        this.metrics = metrics;
        this.deduplicated = metrics.counter(StageMetrics.DEDUPLICATED);
        this.duplicates = metrics.counter("dedup", "duplicate");
        this.stale = metrics.counter("dedup", "stale");
    }

    Verdict admit(long version, long fingerprint) throws IOException {
        return admit(version, 0, fingerprint);
    }

    /** Versions compare by {@code version}, then {@code minor}: a log position's two parts. */
    Verdict admit(long version, long minor, long fingerprint) throws IOException {
        DedupEntry seen = latest.value();
        int order = seen == null ? 1 : version != seen.version ? Long.compare(version, seen.version)
                : Long.compare(minor, seen.versionMinor);
        if (order > 0) {
            latest.update(new DedupEntry(version, minor, fingerprint));
            return Verdict.PASS;
        }
        if (order < 0) {
            stale.inc();
            deduplicated.inc();
            return Verdict.STALE;
        }
        if (fingerprint == seen.fingerprint) {
            duplicates.inc();
            deduplicated.inc();
            return Verdict.DUPLICATE;
        }
        metrics.rejected(Stage.DEDUP, "conflicting_version");
        return Verdict.CONFLICT;
    }

    /** The version just after the key's latest, (0, 0) for a key not seen: for a change without a log position. */
    long[] afterLatest() throws IOException {
        DedupEntry seen = latest.value();
        return seen == null ? new long[] {0, 0} : new long[] {seen.version, seen.versionMinor + 1};
    }

    /** The state per key, with TTL counted from the last write of a newer version. */
    static ValueStateDescriptor<DedupEntry> stateDescriptor(Duration ttl) {
        ValueStateDescriptor<DedupEntry> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(DedupEntry.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        return descriptor;
    }
}
