package dev.midstream.quality;

import dev.midstream.model.QualitySpec;
import dev.midstream.record.FlowRecord;

import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;

/**
 * The tally of a pipeline's written records: per source partition, and per field that a written (not deleted) row
 * leaves empty ({@link QualityCount#NULL_FIELD}). It also exports what alerting needs, under
 * {@code midstream.pipeline.<name>}: when this subtask last handed a row to the table
 * ({@code last_written_timestamp_seconds}, the task's start until then) and the file's {@code quality:} thresholds
 * ({@code expectation_*}), so alert rules compare with the data set's own expectations.
 */
public final class WrittenTally extends Tally<FlowRecord> {
    private static final long serialVersionUID = 1L;
    public static final String PIPELINE_GROUP = "pipeline";

    private final String pipeline;
    private final QualitySpec quality;
    private transient volatile long lastWrittenMillis;

    /** {@code fields}: the record fields of the table's columns that may be empty. */
    public WrittenTally(String pipeline, List<String> fields, QualitySpec quality) {
        super(pipeline, QualityCount.WRITTEN, new Written(List.copyOf(fields)));
        this.pipeline = pipeline;
        this.quality = quality == null ? QualitySpec.NONE : quality;
    }

    @Override
    public void open() throws Exception {
        super.open();
        lastWrittenMillis = System.currentTimeMillis();
        MetricGroup group = getMetricGroup().addGroup("midstream").addGroup(PIPELINE_GROUP, pipeline);
        group.gauge("last_written_timestamp_seconds", () -> lastWrittenMillis / 1000.0);
        gauge(group, "expectation_rejected_ratio_warn", quality.rejectedRatioWarn());
        gauge(group, "expectation_rejected_ratio_error", quality.rejectedRatioError());
        gauge(group, "expectation_freshness_warn_seconds",
                quality.freshnessWarn() == null ? null : (double) quality.freshnessWarn().toSeconds());
        gauge(group, "expectation_freshness_error_seconds",
                quality.freshnessError() == null ? null : (double) quality.freshnessError().toSeconds());
        gauge(group, "expectation_min_records_per_hour",
                quality.minRecordsPerHour() == null ? null : quality.minRecordsPerHour().doubleValue());
    }

    private static void gauge(MetricGroup group, String name, Double value) {
        if (value != null) {
            group.gauge(name, () -> value);
        }
    }

    @Override
    public void processElement(StreamRecord<FlowRecord> element) {
        super.processElement(element);
        lastWrittenMillis = System.currentTimeMillis();
    }

    private record Written(List<String> fields) implements Classifier<FlowRecord> {
        Written {
            fields = fields.stream().map(String::intern).toList(); // so records find them by identity (FieldNames)
        }

        @Override
        public void count(FlowRecord record, Counts counts) {
            counts.add(record.sourceTopic, record.sourcePartition);
            if (record.deleted) {
                return;
            }
            for (int i = 0; i < fields.size(); i++) {
                if (record.data.get(fields.get(i)) == null) {
                    counts.series(i, QualityCount.NULL_FIELD, "", fields.get(i))
                            .add(record.sourceTopic, record.sourcePartition);
                }
            }
        }
    }
}
