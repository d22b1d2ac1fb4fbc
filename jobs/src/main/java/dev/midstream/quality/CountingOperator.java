package dev.midstream.quality;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;

/**
 * An operator that hands its counts on ahead of every checkpoint barrier and at the end of input: what the history
 * receives before barrier N is exactly what the records before it produced, so its checkpointed sums are exact.
 */
abstract class CountingOperator<OUT> extends AbstractStreamOperator<OUT> {
    private static final long serialVersionUID = 1L;

    /** Emits the counts gathered since the last call and starts again. */
    abstract void flush();

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }
}
