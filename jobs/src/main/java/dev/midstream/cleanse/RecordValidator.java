package dev.midstream.cleanse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.change.Change;
import dev.midstream.change.Envelope;
import dev.midstream.change.EnvelopeDecoder;
import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.model.FieldSpec;
import dev.midstream.model.PipelineSpec;
import dev.midstream.model.UnknownFields;
import dev.midstream.quality.QualityCount;
import dev.midstream.record.FlowRecord;
import dev.midstream.source.RawRecord;
import dev.midstream.udf.Record;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Raw Kafka record in, typed records of a declarative pipeline out: the payload checks of {@link RawJsonReader};
 * for a change stream the envelope ({@link EnvelopeDecoder}: its row changes, or a record without one counted as
 * skipped, or a dead letter of stage {@code change}); then the schema (stage {@code validation}, rule
 * {@code <field>_<check>}) and the pipeline's rules (rule = the rule's id). A delete is read by its key fields (and a
 * version field) only, and rules do not apply to it. A record with several rows (Canal) is taken whole or refused
 * whole, so it has one dead letter. Counts every record read. A plain JSON record is first read by
 * {@link StreamingSchemaReader}, without a tree; only the records it cannot take as they are go the tree way.
 */
public class RecordValidator extends ProcessFunction<RawRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final PipelineSpec pipeline;
    private final int maxRecordBytes;
    private final ZoneId localZone;
    private final DeadLetterFactory deadLetters;
    private final RuleChecker rules;
    private final EnvelopeDecoder envelopes;
    private final List<FieldSpec> deleteSchema;
    private final List<String> keyFields;

    private transient RawJsonReader json;
    private transient StreamingSchemaReader streaming;
    private transient StageMetrics metrics;
    private transient Counter read;
    private transient Counter expanded;
    private transient Counter unknownFields;
    private transient java.util.Set<String> unknownNames;

    static final int MAX_UNKNOWN_NAMES = 100;

    public RecordValidator(PipelineSpec pipeline, int maxRecordBytes, ZoneId localZone, DeadLetterFactory deadLetters) {
        this.pipeline = pipeline;
        this.maxRecordBytes = maxRecordBytes;
        this.localZone = localZone;
        this.deadLetters = deadLetters;
        this.rules = new RuleChecker(pipeline.rules());
        boolean changeStream = pipeline.source().format().isChangeStream();
        this.envelopes = changeStream ? EnvelopeDecoder.of(pipeline.source().format(), pipeline.schema(),
                pipeline.dedup() != null && pipeline.dedup().byPosition()) : null;
        this.keyFields = pipeline.key().stream().map(RecordValidator::head).distinct().toList();
        this.deleteSchema = deleteSchema(pipeline);
    }

    /** What a delete must carry: the key fields and a version field of the row. */
    private static List<FieldSpec> deleteSchema(PipelineSpec pipeline) {
        List<String> names = new ArrayList<>(pipeline.key().stream().map(RecordValidator::head).toList());
        if (pipeline.dedup() != null && pipeline.dedup().version() != null && !pipeline.dedup().byPosition()) {
            names.add(head(pipeline.dedup().version()));
        }
        return pipeline.schema().stream().filter(f -> names.contains(f.name())).toList();
    }

    private static String head(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    @Override
    public void open(OpenContext openContext) {
        json = new RawJsonReader(maxRecordBytes);
        if (envelopes == null) {
            streaming = new StreamingSchemaReader(json.factory(), localZone, pipeline.schema(),
                    pipeline.source().unknownFields() == UnknownFields.IGNORE);
        }
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        read = metrics.counter(StageMetrics.READ);
        unknownNames = new java.util.HashSet<>();
        if (pipeline.source().unknownFields() != UnknownFields.IGNORE) {
            unknownFields = metrics.counter("schema", "unknown_fields");
        }
        if (envelopes != null) {
            expanded = metrics.counter(StageMetrics.EXPANDED);
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<FlowRecord> out) {
        read.inc();
        if (envelopes != null && raw.value == null) {
            skip(ctx, raw, "tombstone");
            return;
        }
        if (streaming != null && raw.value != null && raw.value.length <= maxRecordBytes) {
            Record record = streaming.read(raw.value);
            if (record != null) {
                List<Violation> violations = new ArrayList<>(2);
                rules.check(record, violations);
                emitOrReject(record, violations, raw, ctx, out);
                return;
            }
        }
        RawJsonReader.Result parsed = json.read(raw);
        if (!parsed.ok()) {
            reject(ctx, raw, parsed.stage(), parsed.rule(), null, parsed.reason());
            return;
        }
        if (envelopes == null) {
            List<Violation> violations = new ArrayList<>(2);
            Record record = read(parsed.object(), false, violations, raw, ctx);
            emitOrReject(record, violations, raw, ctx, out);
            return;
        }
        Envelope envelope = envelopes.decode(parsed.object());
        if (envelope instanceof Envelope.Changes c) {
            emit(c.changes(), raw, ctx, out);
        } else if (envelope instanceof Envelope.Skipped s) {
            skip(ctx, raw, s.kind());
        } else if (envelope instanceof Envelope.Refused r) {
            reject(ctx, raw, r.validation() ? Stage.VALIDATION : Stage.CHANGE, r.rule(), r.field(), r.reason());
        }
    }

    private void emitOrReject(Record record, List<Violation> violations, RawRecord raw, Context ctx,
            Collector<FlowRecord> out) {
        if (violations.isEmpty()) {
            out.collect(new FlowRecord(record, raw.topic, raw.partition, raw.offset, raw.value));
        } else {
            reject(ctx, raw, violations, "");
        }
    }

    private void emit(List<Change> changes, RawRecord raw, Context ctx, Collector<FlowRecord> out) {
        List<FlowRecord> records = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            String row = changes.size() > 1 ? "data[" + i + "]: " : "";
            for (String key : keyFields) {
                JsonNode value = change.row().get(key);
                if (value == null || value.isNull()) {
                    reject(ctx, raw, Stage.CHANGE, "missing_key", key, row + "the " + (change.delete() ? "deleted"
                            : "changed") + " row has no '" + key + "', a field of the pipeline's key");
                    return;
                }
            }
            List<Violation> violations = new ArrayList<>(2);
            Record record = read(change.row(), change.delete(), violations, raw, ctx);
            if (!violations.isEmpty()) {
                reject(ctx, raw, violations, row);
                return;
            }
            records.add(new FlowRecord(record, raw.topic, raw.partition, raw.offset, raw.value)
                    .change(change.delete(), change.positionMajor(), change.positionMinor()));
        }
        if (records.size() > 1) {
            expanded.inc(records.size() - 1);
            ctx.output(QualityCount.TAG, new QualityCount(pipeline.name(), QualityCount.EXPANDED, "change", "rows",
                    raw.topic, raw.partition, records.size() - 1));
        }
        records.forEach(out::collect);
    }

    private Record read(JsonNode object, boolean delete, List<Violation> violations, RawRecord raw, Context ctx) {
        UnknownFields mode = delete ? UnknownFields.IGNORE : pipeline.source().unknownFields();
        SchemaReader schema = new SchemaReader(localZone, mode != UnknownFields.IGNORE);
        Record record = schema.read(object, delete ? deleteSchema : pipeline.schema());
        violations.addAll(schema.violations());
        for (String field : schema.unknown()) {
            unknownFields.inc();
            if (mode == UnknownFields.REJECT) {
                violations.add(new Violation("unknown_field", field, field + ": is not declared in the schema"
                        + " (source.unknown_fields: reject)"));
            } else {
                ctx.output(QualityCount.TAG, new QualityCount(pipeline.name(), QualityCount.UNKNOWN_FIELD, "schema",
                        unknownName(field), raw.topic, raw.partition, 1));
            }
        }
        if (violations.isEmpty() && !delete) {
            rules.check(record, violations);
        }
        return record;
    }

    /**
     * At most {@link #MAX_UNKNOWN_NAMES} names per subtask, the rest as {@code (other)}: field names come from the
     * producer, and a hostile or broken one must not grow the history without bound.
     */
    private String unknownName(String field) {
        if (unknownNames.contains(field)) {
            return field;
        }
        if (unknownNames.size() < MAX_UNKNOWN_NAMES) {
            unknownNames.add(field);
            return field;
        }
        return "(other)";
    }

    private void skip(Context ctx, RawRecord raw, String kind) {
        metrics.skipped(kind);
        ctx.output(QualityCount.TAG, new QualityCount(pipeline.name(), QualityCount.SKIPPED, "change", kind, raw.topic,
                raw.partition, 1));
    }

    private void reject(Context ctx, RawRecord raw, List<Violation> violations, String prefix) {
        Violation first = violations.get(0);
        reject(ctx, raw, Stage.VALIDATION, first.rule(), first.field(),
                prefix + violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
    }

    private void reject(Context ctx, RawRecord raw, Stage stage, String rule, String field, String reason) {
        metrics.rejected(stage, rule);
        ctx.output(DeadLetterFactory.TAG, deadLetters.create(
                stage, rule, field, reason, raw.topic, raw.partition, raw.offset, raw.value));
    }
}
