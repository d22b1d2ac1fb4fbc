package dev.midstream.quality;

import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.io.Serializable;

/**
 * Passes records through unchanged and counts them for the quality history. The counts leave as deltas on
 * {@link QualityCount#TAG} before every checkpoint barrier and at the end of input, so the history downstream
 * receives exactly the counts of the records before the barrier: its checkpointed sums match the sources' offsets,
 * and a replay after a restore is counted once more only because it was rolled back once.
 */
public class Tally<T> extends CountingOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** What is counted of a record. */
    @FunctionalInterface
    public interface Classifier<T> extends Serializable {
        void count(T value, Counts counts);
    }

    private final String pipeline;
    private final String measure;
    private final Classifier<T> classifier;
    private transient Counts counts;

    public Tally(String pipeline, String measure, Classifier<T> classifier) {
        this.pipeline = pipeline;
        this.measure = measure;
        this.classifier = classifier;
    }

    @Override
    public void open() throws Exception {
        super.open();
        counts = new Counts(pipeline, measure);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        classifier.count(element.getValue(), counts);
        output.collect(element);
    }

    @Override
    void flush() {
        for (QualityCount count : counts.drain()) {
            output.collect(QualityCount.TAG, new StreamRecord<>(count));
        }
    }
}
