package dev.midstream.cleanse;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.orders.OrderEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Keyed by order id. The first event of an order passes; a later one passes only if its event time (the
 * version) is newer. An identical re-send is a duplicate and an older version is stale: both are counted
 * as deduplicated and dropped. The same version with different content cannot be ordered, so it goes to
 * dead letters ({@code dedup/conflicting_version}). What is remembered expires after the TTL.
 */
public class OrderDeduplicator extends KeyedProcessFunction<String, OrderEvent, OrderEvent> {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "latest-version";

    private final Duration ttl;
    private final DeadLetterFactory deadLetters;

    private transient VersionGate gate;

    public OrderDeduplicator(Duration ttl, DeadLetterFactory deadLetters) {
        this.ttl = ttl;
        this.deadLetters = deadLetters;
    }

    /** The state descriptor, with TTL counted from the last write of a newer version. */
    public static ValueStateDescriptor<DedupEntry> stateDescriptor(Duration ttl) {
        ValueStateDescriptor<DedupEntry> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(DedupEntry.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        return descriptor;
    }

    @Override
    public void open(OpenContext openContext) {
        gate = new VersionGate(getRuntimeContext(), ttl, new StageMetrics(getRuntimeContext().getMetricGroup()));
    }

    @Override
    public void processElement(OrderEvent event, Context ctx, Collector<OrderEvent> out) throws Exception {
        switch (gate.admit(event.eventTime.toEpochMilli(), Fingerprint.of(event))) {
            case PASS -> out.collect(event);
            case CONFLICT -> ctx.output(DeadLetterFactory.TAG, deadLetters.create(Stage.DEDUP, "conflicting_version", null,
                    "same order_id and event_time as an earlier event but different content; versions must"
                            + " differ by event_time", event.sourceTopic, event.sourcePartition,
                    event.sourceOffset, event.payload));
            case DROPPED -> { }
        }
    }
}
