package dev.midstream.quality;

import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Sums the counts an operator emits per record (a dedup drop, a skipped change, an undeclared field) in the same
 * task, chained behind it, and hands the sums on before every checkpoint barrier and at the end of input, as a
 * {@link Tally} does: the history gets a few deltas per checkpoint instead of one record per event.
 */
public class CountCombiner extends CountingOperator<QualityCount>
        implements OneInputStreamOperator<QualityCount, QualityCount> {
    private static final long serialVersionUID = 1L;

    private transient Map<String, QualityCount> sums;

    @Override
    public void open() throws Exception {
        super.open();
        sums = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<QualityCount> element) {
        QualityCount count = element.getValue();
        QualityCount sum = sums.get(count.key());
        if (sum == null) {
            sums.put(count.key(), count.copy());
        } else {
            sum.records += count.records;
        }
    }

    @Override
    void flush() {
        for (QualityCount sum : sums.values()) {
            output.collect(new StreamRecord<>(sum));
        }
        sums.clear();
    }
}
