package dev.midstream.cleanse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.midstream.deadletter.DeadLetterFactory;
import dev.midstream.deadletter.Stage;
import dev.midstream.metrics.StageMetrics;
import dev.midstream.orders.OrderEvent;
import dev.midstream.source.RawRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
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

    private transient ObjectReader json;
    private transient StageMetrics metrics;
    private transient Counter read;

    public OrderValidator(ValidationSettings settings, DeadLetterFactory deadLetters) {
        this.settings = settings;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        json = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build()
                .reader();
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup());
        read = metrics.counter(StageMetrics.READ);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<OrderEvent> out) {
        read.inc();
        if (raw.value == null) {
            reject(ctx, raw, Stage.SOURCE, "null_value", null, "record value is null (a tombstone)");
            return;
        }
        if (raw.value.length > settings.maxRecordBytes()) {
            reject(ctx, raw, Stage.SOURCE, "payload_too_large", null,
                    "payload is " + raw.value.length + " bytes, at most " + settings.maxRecordBytes() + " allowed");
            return;
        }
        JsonNode root;
        try {
            root = json.readTree(raw.value);
        } catch (JsonProcessingException e) {
            reject(ctx, raw, Stage.PARSE, "malformed_json", null, "not valid JSON: " + firstLine(e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            reject(ctx, raw, Stage.PARSE, "malformed_json", null, "not readable as JSON: " + firstLine(e.getMessage()));
            return;
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            reject(ctx, raw, Stage.PARSE, "not_an_object", null,
                    "expected a JSON object, got " + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().name().toLowerCase()));
            return;
        }
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

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
