package dev.midstream.cleanse;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.PipelineSpec;
import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Raw Kafka record in, typed record of a declarative pipeline out: the payload checks of
 * {@link RawJsonReader}, then the schema (stage {@code validation}, rule {@code <field>_<check>}), then the
 * pipeline's rules (stage {@code validation}, rule = the rule's id). Counts every record read.
 */
public class RecordValidator extends ProcessFunction<RawRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final PipelineSpec pipeline;
    private final int maxRecordBytes;
    private final ZoneId localZone;
    private final DeadLetterFactory deadLetters;
    private final RuleChecker rules;

    private transient RawJsonReader json;
    private transient StageMetrics metrics;
    private transient Counter read;

    public RecordValidator(PipelineSpec pipeline, int maxRecordBytes, ZoneId localZone, DeadLetterFactory deadLetters) {
        this.pipeline = pipeline;
        this.maxRecordBytes = maxRecordBytes;
        this.localZone = localZone;
        this.deadLetters = deadLetters;
        this.rules = new RuleChecker(pipeline.rules());
    }

    @Override
    public void open(OpenContext openContext) {
        json = new RawJsonReader(maxRecordBytes);
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        read = metrics.counter(StageMetrics.READ);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<FlowRecord> out) {
        read.inc();
        RawJsonReader.Result parsed = json.read(raw);
        if (!parsed.ok()) {
            reject(ctx, raw, parsed.stage(), parsed.rule(), null, parsed.reason());
            return;
        }
        SchemaReader schema = new SchemaReader(localZone);
        Record record = schema.read(parsed.object(), pipeline.schema());
        List<Violation> violations = schema.violations();
        if (violations.isEmpty()) {
            rules.check(record, violations);
        }
        if (!violations.isEmpty()) {
            Violation first = violations.get(0);
            reject(ctx, raw, Stage.VALIDATION, first.rule(), first.field(),
                    violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
            return;
        }
        out.collect(new FlowRecord(record, raw.topic, raw.partition, raw.offset, raw.value));
    }

    private void reject(Context ctx, RawRecord raw, Stage stage, String rule, String field, String reason) {
        metrics.rejected(stage, rule);
        ctx.output(DeadLetterFactory.TAG, deadLetters.create(
                stage, rule, field, reason, raw.topic, raw.partition, raw.offset, raw.value));
    }
}
