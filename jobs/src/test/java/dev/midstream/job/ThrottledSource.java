package dev.midstream.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Test-only: a source that hands on each record of {@code delegate} after a pause, so a small bounded input is read
 * over several checkpoint intervals however fast the machine is. A fault that must strike after a checkpoint and
 * before the input runs out then does so: on a fast machine a whole topic can otherwise be read, and queued in
 * front of a slow operator, before the first barrier.
 */
final class ThrottledSource<T, S extends SourceSplit, E> implements Source<T, S, E>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;
    private final Source<T, S, E> delegate;
    private final long pauseNanos;

    ThrottledSource(Source<T, S, E> delegate, java.time.Duration pausePerRecord) {
        this.delegate = delegate;
        this.pauseNanos = pausePerRecord.toNanos();
    }

    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> getProducedType() {
        return ((ResultTypeQueryable<T>) delegate).getProducedType();
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SplitEnumerator<S, E> createEnumerator(SplitEnumeratorContext<S> context) throws Exception {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<S, E> restoreEnumerator(SplitEnumeratorContext<S> context, E checkpoint) throws Exception {
        return delegate.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<S> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<E> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        return new Reader<>(delegate.createReader(context), pauseNanos);
    }

    private record Reader<T, S extends SourceSplit>(SourceReader<T, S> delegate, long pauseNanos)
            implements SourceReader<T, S> {
        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            return delegate.pollNext(new PausingReaderOutput<>(output, pauseNanos));
        }

        @Override
        public List<S> snapshotState(long checkpointId) {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return delegate.isAvailable();
        }

        @Override
        public void addSplits(List<S> splits) {
            delegate.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            delegate.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(org.apache.flink.api.connector.source.SourceEvent event) {
            delegate.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            delegate.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(java.util.Collection<String> paused, java.util.Collection<String> resumed) {
            delegate.pauseOrResumeSplits(paused, resumed);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }

    private static class PausingOutput<T> implements SourceOutput<T> {
        private final SourceOutput<T> delegate;
        final long pauseNanos;

        PausingOutput(SourceOutput<T> delegate, long pauseNanos) {
            this.delegate = delegate;
            this.pauseNanos = pauseNanos;
        }

        @Override
        public void collect(T record) {
            pause();
            delegate.collect(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            pause();
            delegate.collect(record, timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            delegate.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            delegate.markIdle();
        }

        @Override
        public void markActive() {
            delegate.markActive();
        }

        private void pause() {
            java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
        }
    }

    private static final class PausingReaderOutput<T> extends PausingOutput<T> implements ReaderOutput<T> {
        private final ReaderOutput<T> reader;

        PausingReaderOutput(ReaderOutput<T> reader, long pauseNanos) {
            super(reader, pauseNanos);
            this.reader = reader;
        }

        @Override
        public SourceOutput<T> createOutputForSplit(String splitId) {
            return new PausingOutput<>(reader.createOutputForSplit(splitId), pauseNanos);
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            reader.releaseOutputForSplit(splitId);
        }
    }
}
