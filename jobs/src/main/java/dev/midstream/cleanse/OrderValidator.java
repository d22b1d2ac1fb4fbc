package dev.midstream.cleanse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.orders.OrderEvent;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Raw Kafka record in, typed {@link OrderEvent} out. Rejects, to dead letters: tombstones and oversized
 * records (stage {@code source}), bytes that are not one JSON object (stage {@code parse}), and objects
 * that break a schema rule (stage {@code validation}, rule {@code <field>_<check>}). Counts every record read.
 */
public class OrderValidator extends ProcessFunction<RawRecord, OrderEvent> {
    private static final long serialVersionUID = 1L;

    private final ValidationSettings settings;
    private final DeadLetterFactory deadLetters;

    private transient RawJsonReader json;
    private transient StageMetrics metrics;
    private transient Counter read;

    public OrderValidator(ValidationSettings settings, DeadLetterFactory deadLetters) {
        this.settings = settings;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        json = new RawJsonReader(settings.maxRecordBytes());
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        read = metrics.counter(StageMetrics.READ);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<OrderEvent> out) {
        read.inc();
        RawJsonReader.Result parsed = json.read(raw);
        if (!parsed.ok()) {
            reject(ctx, raw, parsed.stage(), parsed.rule(), null, parsed.reason());
            return;
        }
        JsonNode root = parsed.object();
        OrderFieldReader fields = new OrderFieldReader(root, settings);
        OrderEvent event = fields.read();
        if (event == null) {
            List<Violation> violations = fields.violations();
            Violation first = violations.get(0);
            reject(ctx, raw, Stage.VALIDATION, first.rule(), first.field(),
                    violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
            return;
        }
        event.sourceTopic = raw.topic;
        event.sourcePartition = raw.partition;
        event.sourceOffset = raw.offset;
        event.payload = raw.value;
        out.collect(event);
    }

    private void reject(Context ctx, RawRecord raw, Stage stage, String rule, String field, String reason) {
        metrics.rejected(stage, rule);
        ctx.output(DeadLetterFactory.TAG, deadLetters.create(
                stage, rule, field, reason, raw.topic, raw.partition, raw.offset, raw.value));
    }
}
