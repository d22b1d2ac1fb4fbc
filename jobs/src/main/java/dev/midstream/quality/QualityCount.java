package dev.midstream.quality;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

import java.util.Objects;

/**
 * How many records of one source partition of a pipeline reached one outcome: {@code measure} ({@link #READ},
 * {@link #WRITTEN}, {@link #REJECTED} with the dead letter's stage and rule, {@link #DEDUPLICATED} with the kind as
 * rule, {@link #SKIPPED} and {@link #EXPANDED} for change streams). Counts travel as deltas to the
 * {@link QualityHistory}, which stamps them with the checkpoint they belong to. A Flink POJO: no Kryo.
 */
public class QualityCount {
    public static final String READ = "read";
    public static final String WRITTEN = "written";
    public static final String REJECTED = "rejected";
    public static final String DEDUPLICATED = "deduplicated";
    public static final String SKIPPED = "skipped";
    public static final String EXPANDED = "expanded";
    /** Not an outcome: a field the schema does not declare, per name ({@code source.unknown_fields: count}). */
    public static final String UNKNOWN_FIELD = "unknown_field";
    /**
     * Not an outcome: a fact that went on without its dimension or lookup row ({@code on_missing: emit} or
     * {@code keep}), with the step as stage ({@code enrich:<id>}) and {@code dimension_missing}/{@code lookup_missing}.
     */
    public static final String UNMATCHED = "unmatched";
    /** Not an outcome: a written row whose column from this field is empty, per field (the rule). */
    public static final String NULL_FIELD = "null_field";

    public static final TypeInformation<QualityCount> TYPE = Types.POJO(QualityCount.class);
    /** Where operators that count inside a function (dedup, validation) send their counts. */
    public static final OutputTag<QualityCount> TAG = new OutputTag<>("quality-counts", TYPE);

    public String pipeline;
    public String measure;
    /** The dead letter's stage label ({@code validation}, {@code udf:<step>}, …), or "" for other measures. */
    public String stage = "";
    /** The rule of a rejection, the kind of a dedup drop or skip, or "". */
    public String rule = "";
    public String sourceTopic;
    public int sourcePartition;
    public long records;
    /** Set by the history: the checkpoint whose state holds these records' effects (0 without checkpoints). */
    public long checkpointId;
    public long recordedAtMillis;

    public QualityCount() {}

    public QualityCount(String pipeline, String measure, String stage, String rule, String sourceTopic,
            int sourcePartition, long records) {
        this.pipeline = pipeline;
        this.measure = measure;
        this.stage = stage == null ? "" : stage;
        this.rule = rule == null ? "" : rule;
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.records = records;
    }

    /** What the history adds up by: everything but the count and its stamp. */
    public String key() {
        return pipeline + '\u0000' + measure + '\u0000' + stage + '\u0000' + rule + '\u0000' + sourceTopic + '\u0000'
                + sourcePartition;
    }

    QualityCount copy() {
        QualityCount copy = new QualityCount(pipeline, measure, stage, rule, sourceTopic, sourcePartition, records);
        copy.checkpointId = checkpointId;
        copy.recordedAtMillis = recordedAtMillis;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualityCount c && key().equals(c.key()) && records == c.records
                && checkpointId == c.checkpointId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key(), records, checkpointId);
    }

    @Override
    public String toString() {
        return pipeline + " " + measure + (stage.isEmpty() ? "" : " " + stage) + (rule.isEmpty() ? "" : "/" + rule) + " "
                + sourceTopic + "-" + sourcePartition + ": " + records
                + (checkpointId == 0 ? "" : " @" + checkpointId);
    }
}
