package dev.midstream.sink;

import dev.midstream.deadletter.DeadLetter;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.orders.OrderRow;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows in, {@link OrderRowBatch}es out, at most one row per order id per batch (a newer version replaces
 * the buffered one). A batch leaves when it is full, when the interval since its first row has passed, before
 * every checkpoint barrier, and at end of input — so nothing waits in this buffer across a checkpoint, which is
 * why the buffer needs no state. Rows the table cannot hold go to dead letters (stage {@code sink}) with the
 * masked row as payload.
 */
public class UpsertBatcher extends AbstractStreamOperator<OrderRowBatch>
        implements OneInputStreamOperator<OrderRow, OrderRowBatch>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final long intervalMillis;
    private final DeadLetterFactory deadLetters;

    private transient Map<String, OrderRow> buffer;
    private transient boolean timerPending;
    private transient StageMetrics metrics;
    private transient Counter written;
    private transient Counter superseded;

    public UpsertBatcher(int batchSize, Duration interval, DeadLetterFactory deadLetters) {
        this.batchSize = batchSize;
        this.intervalMillis = interval.toMillis();
        this.deadLetters = deadLetters;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new LinkedHashMap<>(batchSize * 2);
        metrics = new StageMetrics(getMetricGroup());
        written = metrics.counter(StageMetrics.WRITTEN);
        superseded = metrics.counter("sink", "superseded");
    }

    @Override
    public void processElement(StreamRecord<OrderRow> element) {
        OrderRow row = element.getValue();
        String misfit = OrderTable.misfit(row);
        if (misfit != null) {
            metrics.rejected(Stage.SINK, "column_overflow");
            DeadLetter letter = deadLetters.create(Stage.SINK, "column_overflow", "amount", misfit,
                    row.sourceTopic, row.sourcePartition, row.sourceOffset,
                    row.toString().getBytes(StandardCharsets.UTF_8));
            output.collect(DeadLetterFactory.TAG, new StreamRecord<>(letter));
            return;
        }
        written.inc();
        OrderRow buffered = buffer.get(row.orderId);
        if (buffered == null) {
            buffer.put(row.orderId, row);
        } else {
            superseded.inc();
            if (!row.eventTime.isBefore(buffered.eventTime)) {
                buffer.put(row.orderId, row);
            }
        }
        if (buffer.size() >= batchSize) {
            emit();
        } else if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + intervalMillis, this);
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerPending = false;
        emit();
    }

    // Runs before the sink writer's own pre-barrier flush: operators in a chain are called head to tail.
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emit();
    }

    @Override
    public void finish() throws Exception {
        emit();
        super.finish();
    }

    private void emit() {
        if (buffer.isEmpty()) {
            return;
        }
        OrderRow[] rows = buffer.values().toArray(new OrderRow[0]);
        buffer.clear();
        output.collect(new StreamRecord<>(new OrderRowBatch(rows)));
    }
}
